# fix: PV603
"""`check_hostname = True` alone would make the `verify_mode = CERT_NONE` below raise
`ValueError`: the fix must turn both on, however `CERT_NONE` is spelled."""

import ssl as tls
from ssl import CERT_NONE as NO_CHECKS


def client():
    context = tls.create_default_context()
    context.check_hostname = True
    context.verify_mode = tls.CERT_REQUIRED
    return context


def other_client():
    context = tls.create_default_context()
    context.check_hostname = True
    context.verify_mode = tls.VerifyMode.CERT_REQUIRED
    return context


def server():
    context = tls.SSLContext(tls.PROTOCOL_TLS_SERVER)
    context.check_hostname = False
    context.verify_mode = NO_CHECKS
    return context
