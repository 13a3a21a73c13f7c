"""The bank's revision: a token drawn afresh, in the same transaction, by every write to an
item or an item version (and to whatever else `watch_bank_writes` is given: the app adds
assignments, which hold the exams' secured pools), so each server process can keep what it
reads of the bank (the pools a start draws from, `quizzes/bank_pools.py`, and the exams' pools
it must leave out, `quizzes/exam_pools.py`) and know when to read it again at the cost of a
subquery.

A random token rather than a counter: a database emptied and filled again (a restore, the
tests) can never come back to a revision a process already keeps. Every write to items goes
through the ORM (the importer, the editor and its review; assignments are created and edited
through it too, and never deleted), so one flush hook sees them all; a change made to the
tables by hand takes effect when a process restarts or the next ORM write to the bank draws a
new token.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import ScalarSelect, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, UOWTransaction

from .models import BankRevision, Item, ItemVersion

# For statements that read the revision alongside what they are for (None while the row is
# missing: then a process keeps nothing).
CURRENT: ScalarSelect[Any] = (
    select(BankRevision.token).where(BankRevision.id == 1).scalar_subquery()
)
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


# The classes whose writes draw a new token: the bank's own, and those the app adds.
_WATCHED: set[type] = {Item, ItemVersion}


def touches_bank(session: Session) -> bool:
    watched = tuple(_WATCHED)
    return any(isinstance(obj, watched)
               for objects in (session.new, session.dirty, session.deleted) for obj in objects)


def _new_revision(session: Session, context: UOWTransaction) -> None:
    # new/dirty/deleted still hold what this flush wrote: a new token in its transaction
    # (the row is written if missing, as after a database was emptied).
    if not touches_bank(session):
        return
    connection = session.connection()
    token = secrets.token_hex(16)
    upsert = _INSERT[connection.dialect.name](BankRevision).values(id=1, token=token)
    connection.execute(upsert.on_conflict_do_update(index_elements=[BankRevision.id],
                                                    set_={"token": token}))


def watch_bank_writes(*also: type) -> None:
    """Draw a new token on every flush that writes an item, a version or an object of the
    classes `also` names (every session of the process; called by the app factory, more than
    once harmlessly)."""
    _WATCHED.update(also)
    if not event.contains(Session, "after_flush", _new_revision):
        event.listen(Session, "after_flush", _new_revision)
