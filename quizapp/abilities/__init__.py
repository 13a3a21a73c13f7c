"""Each cadre's ability per code with its uncertainty, and calibrated items: the database side
of the pure measurement core in `quizapp.measure`."""
