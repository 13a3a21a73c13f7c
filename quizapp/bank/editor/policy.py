"""Who may do what in the question editor (pure predicates over plain values).

- Admins see and edit the whole bank: the shared items and every coordinator's local ones.
- A coordinator keeps a local bank of his own (owner = him): he writes and edits those items
  and nobody's else; he reads the shared bank, and another coordinator's item while it waits
  for review (so that he can review it).
- A version is approved or rejected by someone other than its author: an admin, or, for a
  local item, any other coordinator. A shared item is reviewed by admins only.
"""

from __future__ import annotations

from typing import Protocol

from ...auth.roles import Role
from ..vocabulary import VersionStatus


class Viewer(Protocol):
    id: int
    role: Role


def can_write_local(viewer: Viewer) -> bool:
    """Coordinators write into their own local bank."""
    return viewer.role == Role.COORDINATOR


def can_write_shared(viewer: Viewer) -> bool:
    """Admins write into the shared bank."""
    return viewer.role == Role.ADMIN


def can_view(viewer: Viewer, owner_id: int | None, head_status: VersionStatus) -> bool:
    if viewer.role == Role.ADMIN:
        return True
    if viewer.role != Role.COORDINATOR:
        return False
    return owner_id is None or owner_id == viewer.id or head_status == VersionStatus.IN_REVIEW


def can_edit(viewer: Viewer, owner_id: int | None) -> bool:
    """Edit, submit for review and retire."""
    if viewer.role == Role.ADMIN:
        return True
    return viewer.role == Role.COORDINATOR and owner_id is not None and owner_id == viewer.id


def can_review(viewer: Viewer, owner_id: int | None, author_id: int | None) -> bool:
    """Approve or reject a version: never its author."""
    if author_id is not None and viewer.id == author_id:
        return False
    if viewer.role == Role.ADMIN:
        return True
    return viewer.role == Role.COORDINATOR and owner_id is not None
