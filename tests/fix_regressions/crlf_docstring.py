"""Docstring only, then code: the import takes the file's own \r\n."""
import random
password = "hunter2-very-secret-value"
reset_token = random.randint(0, 10**6)
