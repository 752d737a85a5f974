# fix: PV403
"""`secrets` is a dict at module level: a new `import secrets` at the top would be replaced
by it. The module-level code runs before the alias import further down, so it gets an alias
of its own; the function runs later and reuses the existing alias."""

import random

secrets = {"api": "configured elsewhere"}

reset_token = random.randint(0, 10**6)

import secrets as _tokens  # noqa: E402


def fresh():
    otp_code = random.randint(0, 999999)
    return otp_code
