# fix: PV101, PV403
"""A parameter or local named like the module hides the module inside the function."""

import os
import os as _os
import random
import secrets
import secrets as _secrets


def make(secrets):
    reset_token = _secrets.randbelow(1000001)
    return reset_token, secrets


def connect(os):
    password = _os.environ["PASSWORD"]
    return os, password


def later_local():
    reset_token = _secrets.randbelow(1000001)
    secrets = reset_token
    return secrets
