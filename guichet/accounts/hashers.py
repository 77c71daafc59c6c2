"""Password hashing: Argon2id with the cost set for the machines Guichet runs on.

Django's default Argon2 cost is 100 MiB of memory in 8 lanes. On the 2-core servers this platform targets, the
8 lanes cannot run side by side, so a sign-in took about 0.15-0.5 s of both cores and sign-ins became the first
thing to saturate at a peak (docs/performance.md). The default here is OWASP's recommended Argon2id setting
(19 MiB, 2 passes, 1 lane), about 10 times cheaper; operators can raise it with the three settings below, and
existing hashes are re-computed with the configured cost at their owner's next sign-in (Django's must_update).
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class ConfiguredArgon2PasswordHasher(Argon2PasswordHasher):
    """Same algorithm name ("argon2") as Django's hasher, so every stored hash stays verifiable."""

    @property
    def time_cost(self) -> int:  # type: ignore[override]
        return settings.GUICHET_ARGON2_TIME_COST

    @property
    def memory_cost(self) -> int:  # type: ignore[override]
        return settings.GUICHET_ARGON2_MEMORY_KIB

    @property
    def parallelism(self) -> int:  # type: ignore[override]
        return settings.GUICHET_ARGON2_PARALLELISM
