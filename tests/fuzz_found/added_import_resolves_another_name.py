from hashlib import sha256
sha256(SECRET_KEY + b)
hashlib.md5("")
