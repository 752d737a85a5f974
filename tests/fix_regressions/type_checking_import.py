# fix: PV101, PV403
"""`os` and `secrets` are imported only for the type checker: at run time they are not
bound, so the fixes must import them for real."""

import random
import typing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import os

if typing.TYPE_CHECKING:
    import secrets

password = "hunter2-very-secret-value"


def new_reset_token():
    reset_token = random.randint(0, 10**6)
    return reset_token
