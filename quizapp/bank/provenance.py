"""Provenance checks (pure): every locator's anchor stands in its document, and no text
copies a run of a document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..kinds import kind_of
from .cues import CJK_RE, WORD_RE
from .schema import Bank, BankError, Item, Locator


def normalise_space(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class SourceRef:
    """Something in the bank that points into a document and has text of its own."""

    file: str
    line: int
    label: str
    locators: tuple[Locator, ...]
    texts: tuple[str, ...]


def source_refs(bank: Bank) -> list[SourceRef]:
    """Items, study notes and self-assessment statements, with their locators and texts."""
    refs = [SourceRef(i.file, i.line, f"item {i.id}", (i.locator,), tuple(item_texts(i)))
            for i in bank.items]
    refs += [SourceRef(n.file, n.line, f"study note {n.code}", n.read_further, tuple(n.texts()))
             for n in bank.study_notes]
    for sa in bank.self_assessments:
        for st in sa.statements:
            refs.append(SourceRef(sa.file, sa.line, f"self-assessment {sa.id} statement "
                                  f"{st.number}", (st.locator,), (st.text.zh, st.text.en)))
    return refs


def check_locators(refs: Iterable[SourceRef], documents: Mapping[str, str]) -> list[BankError]:
    """Every anchor must occur verbatim (up to white space) in the document it names."""
    flattened = {name: normalise_space(body) for name, body in documents.items()}
    errors = []
    for ref in refs:
        for locator in ref.locators:
            body = flattened.get(locator.doc)
            if body is None:
                errors.append(BankError(ref.file, ref.line,
                                        f"{ref.label}: document {locator.doc} not found"))
            elif normalise_space(locator.anchor) not in body:
                errors.append(BankError(
                    ref.file, ref.line,
                    f"{ref.label}: anchor {locator.anchor!r} not found in {locator.doc}",
                ))
    return errors


# ---------------------------------------------------------------- own words

COPIED_CJK_RUN = 12
COPIED_WORD_RUN = 8


def _cjk_windows(text: str, size: int) -> list[str]:
    chars = "".join(CJK_RE.findall(text))
    return [chars[i:i + size] for i in range(len(chars) - size + 1)]


def _word_windows(text: str, size: int) -> list[tuple[str, ...]]:
    words = WORD_RE.findall(text.lower())
    return [tuple(words[i:i + size]) for i in range(len(words) - size + 1)]


@dataclass(frozen=True)
class SourceFingerprint:
    """Every run of 12 Chinese characters and of 8 English words in the source documents."""

    cjk_runs: frozenset[str]
    word_runs: frozenset[tuple[str, ...]]

    @classmethod
    def of(cls, documents: Mapping[str, str]) -> SourceFingerprint:
        cjk: set[str] = set()
        words: set[tuple[str, ...]] = set()
        for body in documents.values():
            cjk.update(_cjk_windows(body, COPIED_CJK_RUN))
            words.update(_word_windows(body, COPIED_WORD_RUN))
        return cls(frozenset(cjk), frozenset(words))

    def copied_phrase(self, text: str) -> str | None:
        """The first run of the text that also stands in a document (punctuation ignored)."""
        for run in _cjk_windows(text, COPIED_CJK_RUN):
            if run in self.cjk_runs:
                return run
        for run in _word_windows(text, COPIED_WORD_RUN):
            if run in self.word_runs:
                return " ".join(run)
        return None


def item_texts(item: Item) -> list[str]:
    """Everything a cadre reads in an item except the anchor, which is verbatim on purpose."""
    return [item.stem.zh, item.stem.en, item.locator.note or "", *kind_of(item.kind).texts(item)]


def check_own_words(refs: Iterable[SourceRef], documents: Mapping[str, str]) -> list[BankError]:
    """No text may copy 12 Chinese characters or 8 English words in a row from a document."""
    fingerprint = SourceFingerprint.of(documents)
    errors = []
    for ref in refs:
        for text in ref.texts:
            phrase = fingerprint.copied_phrase(text)
            if phrase:
                errors.append(BankError(ref.file, ref.line,
                                        f"{ref.label}: copied from a document: {phrase!r}"))
                break
    return errors
