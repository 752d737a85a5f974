# fix: PV403
"""`secrets` is a dict at module level, and an alias import of the module already exists."""

import random
import secrets as _tokens

secrets = {"api": "configured elsewhere"}

reset_token = _tokens.randbelow(1000001)


def fresh():
    otp_code = _tokens.randbelow(1000000)
    return otp_code
