# fix: PV101, PV403
"""A parameter or local named like the module hides the module inside the function."""

import os
import random
import secrets


def make(secrets):
    reset_token = random.randint(0, 10**6)
    return reset_token, secrets


def connect(os):
    password = "hunter2-very-secret-value"
    return os, password


def later_local():
    reset_token = random.randint(0, 10**6)
    secrets = reset_token
    return secrets
