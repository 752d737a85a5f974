# fix: PV401
"""Nothing says the first digest guards anything: switching it to SHA-256 would only rename
every build, so the fix keeps its value and says `usedforsecurity=False`. A table of the
algorithms a protocol names gets no fix (SHA-256 there would break it, and pyca/cryptography
has no `usedforsecurity`). The signatures are security controls and get SHA-256."""

import hashlib

from cryptography.hazmat.primitives import hashes

HASHES_BY_OID = {"1.2.840.113549.1.1.4": hashes.MD5(), "1.2.840.113549.1.1.5": hashes.SHA1()}


def build_label(release):
    digest = hashlib.sha1(release.encode()).hexdigest()
    return f"build-{digest[:12]}"


def sign(secret, body):
    signature = hashlib.md5(secret + body).hexdigest()
    return signature


def sign_certificate(builder, private_key):
    return builder.sign(private_key, hashes.SHA1())
