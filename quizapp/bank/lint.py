"""Cue statistics of the bank (pure): can an item be answered from the wording of its options?

A reader who never saw the sources still has cues: the key is the longest option, wrong options
carry absolute words ("一律", "always"), false statements are the absolute ones. This module
measures those cues per code, per kind and for the whole bank, plays a *mechanical guesser* that
uses nothing else, and checks the house style (`question_bank/STYLE.md`) where a program can.
`flask bank lint` prints the figures and fails above the thresholds documented in
`question_bank/README.md`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean
from typing import Any

from ..quizzes.scoring import score_judgement, score_multiple_choice
from .kinds import ALL_CODES, JUDGEMENT_SCALE, QuestionKind
from .loader import Item, Option

ABSOLUTE_ZH = ("一律", "全部", "所有", "必须", "只要", "一定", "绝不", "决不", "完全", "任何",
               "凡是", "一切", "始终", "从不", "总是", "务必", "统统", "彻底")
ABSOLUTE_EN = re.compile(r"\b(always|never|all|every|everyone|everything|must|only|any|"
                         r"completely|entirely|totally|none|whatever)\b", re.IGNORECASE)
CJK = re.compile(r"[\u3400-\u9fff]")
FILE_NUMBER = re.compile(r"(?<![\d.,])00[0-4](?![\d.,])|\d{3}_[0-9a-f]{16}")
MULTIPLE_ZH, MULTIPLE_EN = "（多选）", "(Choose all that apply.)"
TRUE_FALSE_ZH, TRUE_FALSE_EN = "判断：", "True or false:"

# The limits `flask bank lint` enforces (documented in question_bank/README.md).
MAX_GUESSER_ABOVE_CHANCE = 0.10      # per kind, over the whole bank
MAX_KEY_LONGEST = 0.35               # single choice, over the whole bank
MAX_ABSOLUTE_GAP = 0.05              # distractors' absolute-word share minus the keys'
TRUE_SHARE_RANGE = (0.40, 0.60)      # true/false items whose key is "true"
MAX_LENGTH_RATIO = 2.0               # no item's longest option above 2 × its shortest
MAX_SHARE_ABOVE_SOFT_RATIO = 0.15    # share of choice items above the style's 1.5
SOFT_LENGTH_RATIO = 1.5
GUESSED_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE,
                 QuestionKind.JUDGEMENT)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.JUDGEMENT)


def zh_length(text: str) -> int:
    """Chinese characters, the unit a reader of the Chinese page compares."""
    return len(CJK.findall(text))


def en_length(text: str) -> int:
    return len(text.split())


def has_absolute(option: Option) -> bool:
    return (any(word in option.text.zh for word in ABSOLUTE_ZH)
            or ABSOLUTE_EN.search(option.text.en) is not None)


LENGTH = {"zh": zh_length, "en": en_length}


def _share_longest(options: Sequence[Option], wanted: set[str], lang: str = "zh",
                   sign: int = 1) -> float:
    """Chance that "pick the longest" (sign -1: the shortest) lands on a wanted option (ties
    split evenly)."""
    lengths = [sign * LENGTH[lang](o.text.get(lang)) for o in options]
    top = max(lengths)
    tied = [o.id for o, n in zip(options, lengths, strict=True) if n == top]
    return sum(1 for i in tied if i in wanted) / len(tied)


def length_ratio(item: Item) -> float:
    """Longest over shortest option, the worse of the two languages."""
    ratios = []
    for lang, measure in LENGTH.items():
        lengths = [measure(o.text.get(lang)) for o in item.options]
        ratios.append(max(lengths) / max(1, min(lengths)))
    return max(ratios)


# ---------------------------------------------------------------- the mechanical guesser


def _candidates(item: Item) -> list[Option]:
    plain = [o for o in item.options if not has_absolute(o)]
    return plain or list(item.options)


def guess_single(item: Item) -> float:
    """Drop options with absolute words, pick the longest (Chinese); expected score."""
    return _share_longest(_candidates(item), set(item.key))


def guess_single_shortest(item: Item) -> float:
    """The same guesser for a bank that overcorrected: pick the shortest."""
    return _share_longest(_candidates(item), set(item.key), sign=-1)


def guess_true_false(item: Item) -> float:
    """An absolute statement is guessed false, any other true."""
    stem = Option("stem", item.stem, item.stem)
    guess = "false" if has_absolute(stem) else "true"
    return 1.0 if item.key == (guess,) else 0.0


def guess_multiple(item: Item) -> float:
    """Choose every option without absolute words that is at least as long as the median."""
    plain = _candidates(item)
    lengths = sorted(zh_length(o.text.zh) for o in item.options)
    median = lengths[len(lengths) // 2]
    chosen = [o.id for o in plain if zh_length(o.text.zh) >= median]
    ids = [o.id for o in item.options]
    return score_multiple_choice(item.key, chosen, ids).score


def guess_judgement(item: Item) -> float:
    """Rate by length (longest 4 … shortest 1); an absolute option is rated 1."""
    ranked = sorted(item.options, key=lambda o: (not has_absolute(o), zh_length(o.text.zh)))
    scale = list(JUDGEMENT_SCALE)
    steps = max(1, len(ranked) - 1)
    ratings = [f"{o.id}={scale[round(i * (len(scale) - 1) / steps)]}"
               for i, o in enumerate(ranked)]
    return score_judgement(item.key, ratings, [o.id for o in item.options]).score


def constant_rating(item: Item) -> float:
    """Best score of rating every option alike (2 or 3): what a judgement item gives away
    to a reader who knows nothing."""
    ids = [o.id for o in item.options]
    return max(score_judgement(item.key, [f"{i}={r}" for i in ids], ids).score
               for r in JUDGEMENT_SCALE)


def chance(item: Item) -> float:
    """Expected score of answering at random (every answer of the kind equally likely)."""
    ids = [o.id for o in item.options]
    if item.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        return 1 / len(ids)
    if item.kind == QuestionKind.MULTIPLE:
        subsets = [s for n in range(1, len(ids) + 1) for s in itertools.combinations(ids, n)]
        return mean(score_multiple_choice(item.key, list(s), ids).score for s in subsets)
    if item.kind == QuestionKind.JUDGEMENT:
        span = max(JUDGEMENT_SCALE) - min(JUDGEMENT_SCALE)
        wanted = [int(pair.partition("=")[2]) for pair in item.key]
        gaps = [mean(abs(r - w) for r in JUDGEMENT_SCALE) for w in wanted]
        return 1 - mean(gaps) / span
    return 0.0


GUESSERS = {QuestionKind.SINGLE: guess_single, QuestionKind.TRUE_FALSE: guess_true_false,
            QuestionKind.MULTIPLE: guess_multiple, QuestionKind.JUDGEMENT: guess_judgement}


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
    if item.kind != QuestionKind.TRUE_FALSE:
        for o in item.options:
            if o.text.zh.rstrip().endswith("。") or o.text.en.rstrip().endswith("."):
                issues.append(StyleIssue(item.id, f"option {o.id} ends with a full stop"))
    if item.kind == QuestionKind.MULTIPLE and not (
            item.stem.zh.rstrip().endswith(MULTIPLE_ZH)
            and item.stem.en.rstrip().endswith(MULTIPLE_EN)):
        issues.append(StyleIssue(item.id, f"multiple-choice stem must end with {MULTIPLE_ZH} "
                                          f"and {MULTIPLE_EN}"))
    if item.kind == QuestionKind.TRUE_FALSE and not (
            item.stem.zh.startswith(TRUE_FALSE_ZH) and item.stem.en.startswith(TRUE_FALSE_EN)):
        issues.append(StyleIssue(item.id, f"true/false stem must start with {TRUE_FALSE_ZH} "
                                          f"and {TRUE_FALSE_EN}"))
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
    for kind in GUESSED_KINDS:
        of_kind = [i for i in items if i.kind == kind]
        if of_kind:
            guessed = mean(GUESSERS[kind](i) for i in of_kind)
            if kind == QuestionKind.SINGLE:  # the cue may run either way
                guessed = max(guessed, mean(guess_single_shortest(i) for i in of_kind))
            expected = mean(chance(i) for i in of_kind)
            baseline = mean(constant_rating(i) for i in of_kind) \
                if kind == QuestionKind.JUDGEMENT else expected
            guesser[str(kind)] = {"items": len(of_kind), "score": round(guessed, 3),
                                  "chance": round(expected, 3),
                                  "knowledge_free_baseline": round(max(baseline, expected), 3),
                                  "above_chance": round(guessed - max(baseline, expected), 3)}
    ratios = [length_ratio(i) for i in choice]
    return {
        "items": len(items),
        "key_longest": {
            "single_zh": _mean_or_none(_share_longest(i.options, set(i.key))
                                       for i in singles),
            "single_en": _mean_or_none(_share_longest(i.options, set(i.key), "en")
                                       for i in singles),
            "single_shortest_zh": _mean_or_none(
                _share_longest(i.options, set(i.key), sign=-1) for i in singles),
            "multiple_zh": _mean_or_none(_share_longest(i.options, set(i.key))
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
