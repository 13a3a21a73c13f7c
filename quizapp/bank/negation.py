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
# before a multiple-choice instruction, which ends the stem).
_ZH_CLAUSE = re.compile(r"[^。；：！]*？\s*(?:（多选）)?\s*$")
_ZH_NEGATION = re.compile(r"不是|不属于|不在|不符合|不包括|没有")
_EN_SENTENCE = re.compile(r"[^.;:!]*\?\s*(?:\(Choose all that apply\.\))?\s*$")
_EN_NEGATION = re.compile(r"\b(?:not|neither|none)\b", re.IGNORECASE)
_EN_WHICH = re.compile(r"\bwhich\b", re.IGNORECASE)


class Marked(NamedTuple):
    before: str
    negation: str
    after: str


def find_negation(stem: str) -> Marked | None:
    """The stem split around the negation of its question, or None when it asks no "which
    … not" question."""
    zh = _ZH_CLAUSE.search(stem)
    which = stem.find("哪", zh.start()) if zh is not None else -1
    found = _ZH_NEGATION.search(stem, which) if which >= 0 else None
    if found is None:
        en = _EN_SENTENCE.search(stem)
        asks = _EN_WHICH.search(stem, en.start()) if en is not None else None
        found = _EN_NEGATION.search(stem, asks.end()) if asks is not None else None
    if found is None:
        return None
    return Marked(stem[:found.start()], found.group(), stem[found.end():])
