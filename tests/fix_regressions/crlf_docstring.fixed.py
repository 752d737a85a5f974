"""Docstring only, then code: the import takes the file's own \r\n."""
import os
import random
import secrets
password = os.environ["PASSWORD"]
reset_token = secrets.randbelow(1000001)
