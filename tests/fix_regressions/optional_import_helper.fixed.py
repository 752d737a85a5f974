# fix: PV403
"""The module is imported by name (the test suite's `import_helper`, `importlib`)."""

import importlib
import random
from test.support import import_helper

secrets = import_helper.import_module("secrets")
hashing = importlib.import_module("secrets")

reset_token = secrets.randbelow(1000001)
