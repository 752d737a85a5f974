from fastapi import FastAPI
from fastapi.middleware.co]s import CORSMiddleware
from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app)  # expect: PV520
CORS(app, origins="*")  # expect: PV521
CORS(app, resources={r"/public/*": {"origins": "*"}})  # expect: PV521
CORS(app, origins=["https://app.example.com", "null"])  # expect: PV521

api = FastAPI()
api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])  # expect: PV521

CORS_ORIGIN_ALLOW_ALL = True  # expect: PV521

# Listed origins stay quiet, and so do policies with credentials (another rule).
CORS(app, origins=["https://app.example.com"])
CORS(app, resources={r"/api/*": {"origins": "https://app.example.com"}})
CORS(app, origins="*", supports_credentials=True)
api.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
CORS_ALLOW_ALL_Oware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])  # expect: PV521

CORS_ORIGIN_ALLOW_ALL = True  # expect: PV521

# Listed origins stay quiet, and so do policies with credentials (another rule).
CORS(app, origins=["https://app.example.com"])
CORS(app, resources={r"/api/*": {"origins": "https://app.example.com"}})
CORS(app, origins="*", supports_credentials=True)
api.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
CORS_ALLOW_ALL_ORIGINS = False
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\w+\.exampleRIGINS = False
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\w+\.example\.com$"]
CORS(app)  # pyvet: igno����ors-any-origin]
