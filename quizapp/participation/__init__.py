"""Participation: the days a cadre practised, his streak, and who practised in a cohort's week.

A day counts once, however many items were answered on it: nothing here rewards volume."""
