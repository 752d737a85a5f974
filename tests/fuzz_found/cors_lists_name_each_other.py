from flask import Flask
from flask_cors import CORS
app = Flask(__name__)
a = [b]
b = [a]
CORS_ORIGIN_REGEX_WHITELIST = a
o = [o]
CORS(app, origins=o)
