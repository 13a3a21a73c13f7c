"""挑战答题 / Challenge: items keep coming until the first wrong answer or until an item's time
runs out; a personal best, and a cohort leaderboard where its coordinator turns it on.

Runs are attempts of the attempt engine (autosave, deadlines, grading and review scheduling are
the engine's). The blueprint lives in `views`; importing this package loads nothing else."""
