# fix: PV101, PV403
"""`os` and `secrets` are imported only for the type checker: at run time they are not
bound, so the fixes must import them for real."""

import os
import random
import secrets
import typing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import os

if typing.TYPE_CHECKING:
    import secrets

password = os.environ["PASSWORD"]


def new_reset_token():
    reset_token = secrets.randbelow(1000001)
    return reset_token
