"""Daily practice (每日一练), spaced review with FSRS cards, and the confidence a cadre marks on
practice items. The blueprint lives in `views.py`; the attempt engine calls `services.py`
when it scores answers, so this package's `__init__` imports nothing."""
