# fix: PV403
"""`secrets` is a dict at module level, and an alias import of the module already exists."""

import random
import secrets as _tokens

secrets = {"api": "configured elsewhere"}

reset_token = random.randint(0, 10**6)


def fresh():
    otp_code = random.randint(0, 999999)
    return otp_code
