"""Password hashing with argon2id (argon2-cffi)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class PasswordHashing:
    """Hashes and verifies passwords; cost parameters come from the app config."""

    def __init__(self, time_cost: int | None = None, memory_cost: int | None = None,
                 parallelism: int | None = None) -> None:
        params = {}
        if time_cost:
            params["time_cost"] = time_cost
        if memory_cost:
            params["memory_cost"] = memory_cost
        if parallelism:
            params["parallelism"] = parallelism
        self._hasher = PasswordHasher(**params)  # argon2id is the library's default type

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
