"""Cue statistics of the bank (pure): can an item be answered from the wording of its options?

A reader who never saw the sources still has cues: the key is the longest option, wrong options
carry absolute words ("一律", "always"), false statements are the absolute ones. This module
measures those cues per code, per kind and for the whole bank, plays a *mechanical guesser* that
uses nothing else, and checks the house style (`question_bank/STYLE.md`) where a program can.
`flask bank lint` prints the figures and fails above the thresholds documented in
`question_bank/README.md`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean
from typing import Any

from ..kinds import QuestionKind, kind_of
from .cues import has_absolute, length_ratio, share_longest, zh_length
from .schema import Item
from .vocabulary import ALL_CODES

FILE_NUMBER = re.compile(r"(?<![\d.,])00[0-4](?![\d.,])|\d{3}_[0-9a-f]{16}")
# The Organic Law of Villagers' Committees was amended in 2025 (in force 2026-01-01) with new
# articles inserted, and its consolidated numbering could not be confirmed: the bank names the
# law without an article (REVIEW.md, "Facts of law checked"), so an old number cannot mislead.
ORGANIC_LAW_ARTICLE = re.compile(
    r"村民委员会组织法》?\s*第[一二三四五六七八九十百零〇\d]+条"
    r"|Organic Law[^.;]{0,60}?\b(?:[Aa]rt(?:icle)?s?\.?)\s*\d"
    r"|\b[Aa]rt(?:icle)?s?\.?\s*[\d()]+(?:(?:,|–|-| and)\s*[\d()]+)* of the Organic Law")

# The limits `flask bank lint` enforces (documented in question_bank/README.md).
MAX_GUESSER_ABOVE_CHANCE = 0.10      # per kind, over the whole bank
MAX_KEY_LONGEST = 0.35               # single choice, over the whole bank
MAX_ABSOLUTE_GAP = 0.05              # distractors' absolute-word share minus the keys'
TRUE_SHARE_RANGE = (0.40, 0.60)      # true/false items whose key is "true"
MAX_LENGTH_RATIO = 2.0               # no item's longest option above 2 × its shortest
MAX_SHARE_ABOVE_SOFT_RATIO = 0.15    # share of choice items above the style's 1.5
SOFT_LENGTH_RATIO = 1.5
# The kinds answered by choosing among options, whose lengths a reader can compare.
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.JUDGEMENT)


# ---------------------------------------------------------------- style


@dataclass(frozen=True)
class StyleIssue:
    item_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.item_id}: {self.message}"


def _learner_texts(item: Item) -> list[tuple[str, str, str]]:
    """(where, language, text) of everything a learner reads."""
    texts = [("stem", "zh", item.stem.zh), ("stem", "en", item.stem.en)]
    for o in item.options:
        for lang in ("zh", "en"):
            texts.append((f"option {o.id}", lang, o.text.get(lang)))
            texts.append((f"explanation {o.id}", lang, o.explanation.get(lang)))
            if o.match:
                texts.append((f"match {o.id}", lang, o.match.get(lang)))
    return texts


def style_issues(item: Item) -> list[StyleIssue]:
    """What STYLE.md asks that a program can check."""
    issues: list[StyleIssue] = []
    for where, lang, text in _learner_texts(item):
        if lang == "zh" and ('"' in text or "'" in text):
            issues.append(StyleIssue(item.id, f"{where}: ASCII quotes in Chinese text"))
        if FILE_NUMBER.search(text):
            issues.append(StyleIssue(item.id, f"{where} ({lang}): a document's file number"))
        if ORGANIC_LAW_ARTICLE.search(text):
            issues.append(StyleIssue(item.id, f"{where} ({lang}): an article number of the "
                                              "Organic Law of Villagers' Committees, renumbered "
                                              "in 2025 (name the law alone)"))
    note = item.locator.note if item.locator else None
    if note and ORGANIC_LAW_ARTICLE.search(note):  # shown beside the passage in the preview
        issues.append(StyleIssue(item.id, "locator note: an article number of the Organic Law "
                                          "of Villagers' Committees, renumbered in 2025"))
    issues += [StyleIssue(item.id, message) for message in kind_of(item.kind).style(item)]
    if item.kind in CHOICE_KINDS and length_ratio(item) > MAX_LENGTH_RATIO:
        issues.append(StyleIssue(item.id, f"option lengths differ {length_ratio(item):.1f}× "
                                          f"(at most {MAX_LENGTH_RATIO:.1f}×)"))
    return issues


# ---------------------------------------------------------------- figures


def cue_figures(items: Iterable[Item]) -> dict[str, Any]:
    """The cue statistics of a group of items (a code, a kind or the whole bank)."""
    items = list(items)
    singles = [i for i in items if i.kind == QuestionKind.SINGLE]
    multiples = [i for i in items if i.kind == QuestionKind.MULTIPLE]
    choice = [i for i in items if i.kind in CHOICE_KINDS]
    keyed = [i for i in items if i.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)]
    key_opts = [o for i in keyed for o in i.options if o.id in i.key]
    wrong_opts = [o for i in keyed for o in i.options if o.id not in i.key]
    true_false = [i for i in items if i.kind == QuestionKind.TRUE_FALSE]
    guesser: dict[str, Any] = {}
    for kind in sorted({i.kind for i in items}):
        of_kind = [i for i in items if i.kind == kind]
        strategies = list(zip(*(kind_of(kind).guesses(i) for i in of_kind), strict=True))
        if not strategies:
            continue  # no mechanical guesser for this kind
        best = max(mean(scores) for scores in strategies)
        expected = mean(kind_of(kind).chance(i) for i in of_kind)
        baseline = mean(kind_of(kind).baseline(i) for i in of_kind)
        guesser[kind] = {"items": len(of_kind), "score": round(best, 3),
                         "chance": round(expected, 3),
                         "knowledge_free_baseline": round(max(baseline, expected), 3),
                         "above_chance": round(best - max(baseline, expected), 3)}
    ratios = [length_ratio(i) for i in choice]
    return {
        "items": len(items),
        "key_longest": {
            "single_zh": _mean_or_none(share_longest(i.options, set(i.key))
                                       for i in singles),
            "single_en": _mean_or_none(share_longest(i.options, set(i.key), "en")
                                       for i in singles),
            "single_shortest_zh": _mean_or_none(
                share_longest(i.options, set(i.key), sign=-1) for i in singles),
            "multiple_zh": _mean_or_none(share_longest(i.options, set(i.key))
                                         for i in multiples),
            "multiple_chance": _mean_or_none(len(i.key) / len(i.options) for i in multiples),
        },
        "absolute_words": {
            "keys": _share(key_opts, has_absolute), "distractors": _share(wrong_opts, has_absolute),
        },
        "true_false": {"items": len(true_false),
                       "true_share": _share(true_false, lambda i: i.key == ("true",))},
        "guesser": guesser,
        "option_length_ratio": {
            "mean": _mean_or_none(ratios), "max": round(max(ratios), 3) if ratios else None,
            "above_1_5": _share(ratios, lambda r: r > SOFT_LENGTH_RATIO),
        },
        "same_length_distractors": sum(1 for i in keyed if _distractors_alike(i)),
    }


def _distractors_alike(item: Item) -> bool:
    """Every wrong option of one length and a key of another: a pattern a reader sees."""
    wrong = {zh_length(o.text.zh) for o in item.options if o.id not in item.key}
    keys = {zh_length(o.text.zh) for o in item.options if o.id in item.key}
    return len(item.options) - len(item.key) >= 2 and len(wrong) == 1 and not keys & wrong


def _share(values: Sequence[Any], predicate: Any) -> float | None:
    return round(sum(1 for v in values if predicate(v)) / len(values), 3) if values else None


def _mean_or_none(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(mean(values), 3) if values else None


def threshold_failures(figures: dict[str, Any], style: Sequence[StyleIssue]) -> list[str]:
    """Which documented limits the whole bank breaks (an empty list means it passes)."""
    failures = [f"style: {issue}" for issue in style]
    for kind, row in figures["guesser"].items():
        if row["above_chance"] > MAX_GUESSER_ABOVE_CHANCE:
            failures.append(f"mechanical guesser on {kind}: {row['score']:.0%} against "
                            f"{row['knowledge_free_baseline']:.0%} without knowledge "
                            f"(at most +{MAX_GUESSER_ABOVE_CHANCE:.0%})")
    for end in ("longest", "shortest"):
        share = figures["key_longest"]["single_zh" if end == "longest" else "single_shortest_zh"]
        if share is not None and share > MAX_KEY_LONGEST:
            failures.append(f"key is the {end} option in {share:.0%} of single-choice items "
                            f"(at most {MAX_KEY_LONGEST:.0%})")
    absolute = figures["absolute_words"]
    if None not in absolute.values() and (
            absolute["distractors"] - absolute["keys"] > MAX_ABSOLUTE_GAP):
        failures.append(f"absolute words in {absolute['distractors']:.0%} of wrong options but "
                        f"{absolute['keys']:.0%} of keys (gap at most {MAX_ABSOLUTE_GAP:.0%})")
    true_share = figures["true_false"]["true_share"]
    low, high = TRUE_SHARE_RANGE
    if true_share is not None and not low <= true_share <= high:
        failures.append(f"true/false items keyed true: {true_share:.0%} (want {low:.0%}–"
                        f"{high:.0%})")
    above = figures["option_length_ratio"]["above_1_5"]
    if above is not None and above > MAX_SHARE_ABOVE_SOFT_RATIO:
        failures.append(f"{above:.0%} of items have options differing more than "
                        f"{SOFT_LENGTH_RATIO}× in length "
                        f"(at most {MAX_SHARE_ABOVE_SOFT_RATIO:.0%})")
    return failures


def lint_bank(items: Sequence[Item], code: str | None = None) -> dict[str, Any]:
    """Figures for the whole bank (or one code), per kind and per code, with the failures."""
    chosen = [i for i in items if code is None or i.code == code]
    style = [issue for i in chosen for issue in style_issues(i)]
    figures = cue_figures(chosen)
    kinds = sorted({str(i.kind) for i in chosen})
    return {
        "scope": code or "bank",
        **figures,
        "per_kind": {k: cue_figures(i for i in chosen if i.kind == k) for k in kinds},
        "per_code": {c: cue_figures(i for i in chosen if i.code == c)
                     for c in ALL_CODES if any(i.code == c for i in chosen)},
        "style_issues": [str(s) for s in style],
        "failures": threshold_failures(figures, style),
    }
