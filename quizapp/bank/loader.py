"""The question bank's front door (pure): read the files of a bank directory, parse and
validate them all, give locators their documents' titles and, when the source documents are at
hand, check anchors and own words. `importer.py` writes what this returns.

The parts live beside it: `schema.py` (the values), `yaml_source.py` (YAML with line numbers),
`parsing.py` (each kind of file) and `provenance.py` (anchors and own words).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from .parsing import (
    parse_items,
    parse_misconceptions,
    parse_quizzes,
    parse_self_assessment,
    parse_sources,
    parse_study_note,
)
from .provenance import check_locators, check_own_words, source_refs
from .schema import (
    Bank,
    BankError,
    Item,
    LoadResult,
    Locator,
    Option,
    QuizSpec,
    SelfAssessment,
    StudyNote,
    Text,
)
from .vocabulary import ALL_CODES

__all__ = ["Bank", "BankError", "Item", "LoadResult", "Locator", "Option", "QuizSpec",
           "SelfAssessment", "StudyNote", "Text", "load_bank", "parse_bank", "parse_items",
           "parse_quizzes", "parse_self_assessment", "parse_study_note", "read_bank_files",
           "read_documents"]


def _titled(locator: Locator, titles: Mapping[str, Text]) -> Locator:
    return replace(locator, title=titles.get(locator.doc))


def _with_titles(items: list[Item], notes: dict[str, StudyNote], titles: Mapping[str, Text],
                 errors: list[BankError]) -> tuple[list[Item], dict[str, StudyNote]]:
    """Give every locator its document's title; a document without one is an error."""
    for owner in [*items, *notes.values()]:
        docs = [owner.locator.doc] if isinstance(owner, Item) else [
            loc.doc for loc in owner.read_further]
        for doc in docs:
            if doc not in titles:
                errors.append(BankError(owner.file, owner.line,
                                        f"{doc} has no title in {SOURCES_FILE}"))
    items = [replace(i, locator=_titled(i.locator, titles)) for i in items]
    notes = {code: replace(n, read_further=tuple(_titled(loc, titles) for loc in n.read_further))
             for code, n in notes.items()}
    return items, notes


# ---------------------------------------------------------------- whole bank

MISCONCEPTIONS_FILE = "misconceptions.yaml"
QUIZZES_FILE = "quizzes.yaml"
SOURCES_FILE = "sources.yaml"
ITEMS_DIR = "items"
STUDY_DIR = "study"
SELF_ASSESSMENT_DIR = "self_assessment"


def parse_bank(files: Mapping[str, str]) -> LoadResult:
    """Validate a whole bank given as {relative path: text}; all errors are reported at once."""
    errors: list[BankError] = []
    misconceptions: dict[str, Text] = {}
    if MISCONCEPTIONS_FILE in files:
        misconceptions, errs = parse_misconceptions(files[MISCONCEPTIONS_FILE],
                                                    MISCONCEPTIONS_FILE)
        errors += errs
    else:
        errors.append(BankError(MISCONCEPTIONS_FILE, 1, "file is missing"))

    items: list[Item] = []
    first_seen: dict[str, Item] = {}
    for path in _files_under(files, ITEMS_DIR):
        parsed, errs = parse_items(files[path], path, misconceptions)
        errors += errs
        for item in parsed:
            if item.id in first_seen:
                other = first_seen[item.id]
                errors.append(BankError(path, item.line, f"item {item.id} is already defined at "
                                                         f"{other.file}:{other.line}"))
                continue
            first_seen[item.id] = item
            items.append(item)

    quizzes: list[QuizSpec] = []
    if QUIZZES_FILE in files:
        quizzes, errs = parse_quizzes(files[QUIZZES_FILE], QUIZZES_FILE)
        errors += errs

    notes: dict[str, StudyNote] = {}
    for path in _files_under(files, STUDY_DIR):
        note, errs = parse_study_note(files[path], path)
        errors += errs
        if note is not None and note.code in notes:
            errors.append(BankError(path, note.line, f"a study note for {note.code} is already "
                                                     f"defined in {notes[note.code].file}"))
        elif note is not None:
            notes[note.code] = note

    questionnaires: dict[str, SelfAssessment] = {}
    quiz_ids = {quiz.id for quiz in quizzes}
    for path in _files_under(files, SELF_ASSESSMENT_DIR):
        sa, errs = parse_self_assessment(files[path], path)
        errors += errs
        if sa is not None and (sa.id in questionnaires or sa.id in quiz_ids):
            errors.append(BankError(path, sa.line, f"id {sa.id} is already used"))
        elif sa is not None:
            questionnaires[sa.id] = sa

    if SOURCES_FILE in files:  # optional, so that a small test bank needs no titles
        titles, errs = parse_sources(files[SOURCES_FILE], SOURCES_FILE)
        errors += errs
        items, notes = _with_titles(items, notes, titles, errors)

    bank = Bank(tuple(items), tuple(quizzes), misconceptions,
                tuple(notes[code] for code in ALL_CODES if code in notes),
                tuple(questionnaires.values()))
    return LoadResult(bank, tuple(errors))


def _files_under(files: Mapping[str, str], folder: str) -> list[str]:
    return sorted(p for p in files if p.startswith(f"{folder}/") and p.endswith(".yaml"))


def read_bank_files(root: Path) -> dict[str, str]:
    """Read every YAML file of a bank directory, keyed by its path relative to the root."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*.yaml"))
    }


def read_documents(seeds_dir: Path) -> dict[str, str]:
    """Read the source documents that locators point into."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


def load_bank(root: Path, seeds_dir: Path | None = None) -> LoadResult:
    """Read and validate the bank at `root`; check locators too when the seeds are available."""
    result = parse_bank(read_bank_files(root))
    if seeds_dir is None or not seeds_dir.is_dir():
        return result
    documents = read_documents(seeds_dir)
    refs = source_refs(result.bank)
    source_errors = check_locators(refs, documents) + check_own_words(refs, documents)
    return LoadResult(result.bank, result.errors + tuple(source_errors))


if __name__ == "__main__":  # a quick check for authors: python -m quizapp.bank.loader DIR SEEDS
    import sys

    bank_root = Path(sys.argv[1] if len(sys.argv) > 1 else "question_bank")
    seeds = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("../shared/seeds")
    outcome = load_bank(bank_root, seeds)
    for error in outcome.errors:
        print(error)
    print(f"{len(outcome.bank.items)} items, {len(outcome.errors)} errors")
    sys.exit(1 if outcome.errors else 0)
