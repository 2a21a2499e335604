"""Password hashing (S4): argon2id with the OWASP parameters, rehash when they change, and a dummy
hash so an unknown account costs the same time as a known one (S3)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1 (S4).
MEMORY_KIB = 19456
TIME_COST = 2
PARALLELISM = 1


class Passwords:
    """Hash and verify passwords; one instance per process (the dummy hash is made once)."""

    def __init__(self, *, memory_kib: int = MEMORY_KIB, time_cost: int = TIME_COST,
                 parallelism: int = PARALLELISM) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism,
                                      hash_len=32, salt_len=16, type=Type.ID)
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when `password` matches; an absent hash is checked against the dummy (same cost, always False)."""
        try:
            return self._hasher.verify(stored_hash or self._dummy, password) and stored_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """S4: the stored hash was made with other parameters than today's."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True
