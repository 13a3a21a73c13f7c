"""Where a question asks for the option that is *not* something ("哪一项不是…", "Which … is
not …"): the negation a reader on a phone must not miss, found so the page can mark it.

Only the question's last clause is searched, after its "which" (哪): a negation earlier in a
scenario ("他没有来") or before the question word ("没有防住哪种情况") is part of the story,
not a question for the option that is not.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# The question's last clause: after the last full stop, semicolon or colon of the stem (and
# before a multiple-choice instruction, which ends the stem). It is found from the question mark
# back to the last stop before it: a pattern tried from every position cost up to milliseconds
# on a long scenario.
_ZH_QUESTION_END = re.compile(r"？\s*(?:（多选）)?\s*$")
_ZH_STOPS = "。；：！"
_ZH_NEGATION = re.compile(r"不是|不属于|不在|不符合|不包括|没有")
_EN_QUESTION_END = re.compile(r"\?\s*(?:\(Choose all that apply\.\))?\s*$")
_EN_STOPS = ".;:!"
_EN_NEGATION = re.compile(r"\b(?:not|neither|none)\b", re.IGNORECASE)
_EN_WHICH = re.compile(r"\bwhich\b", re.IGNORECASE)


class Marked(NamedTuple):
    before: str
    negation: str
    after: str


def find_negation(stem: str) -> Marked | None:
    """The stem split around the negation of its question, or None when it asks no "which
    … not" question."""
    zh = _clause_start(stem, _ZH_QUESTION_END, _ZH_STOPS)
    which = stem.find("哪", zh) if zh is not None else -1
    found = _ZH_NEGATION.search(stem, which) if which >= 0 else None
    if found is None:
        en = _clause_start(stem, _EN_QUESTION_END, _EN_STOPS)
        asks = _EN_WHICH.search(stem, en) if en is not None else None
        found = _EN_NEGATION.search(stem, asks.end()) if asks is not None else None
    if found is None:
        return None
    return Marked(stem[:found.start()], found.group(), stem[found.end():])


def _clause_start(stem: str, question_end: re.Pattern[str], stops: str) -> int | None:
    """Where the stem's last clause begins, when that clause is the question the stem ends
    with; None when the stem does not end with a question."""
    end = question_end.search(stem)
    if end is None:
        return None
    return max(stem.rfind(stop, 0, end.start()) for stop in stops) + 1
