# fix: PV403
"""`secrets` is optional: a fix must keep using the name, not import it unconditionally."""

import random

try:
    import secrets
except ImportError:
    secrets = None


def new_reset_token():
    reset_token = secrets.randbelow(1000001)
    return reset_token
