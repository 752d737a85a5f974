# fix: PV408
"""`hmac` is imported inside the function: the fix uses that import, adding none."""

import os


def deliver_challenge(connection, authkey):
    import hmac

    message = os.urandom(20)
    connection.send_bytes(message)
    digest = hmac.new(authkey, message, "sha256").digest()
    response = connection.recv_bytes(256)
    if response == digest:
        return True
    return False
