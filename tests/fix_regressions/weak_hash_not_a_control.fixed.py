# fix: PV401
"""Nothing says the first digest guards anything: switching it to SHA-256 would only rename
every build, so the fix keeps its value and says `usedforsecurity=False`. The signature is a
security control and gets SHA-256."""

import hashlib


def build_label(release):
    digest = hashlib.sha1(release.encode(), usedforsecurity=False).hexdigest()
    return f"build-{digest[:12]}"


def sign(secret, body):
    signature = hashlib.sha256(secret + body).hexdigest()
    return signature
