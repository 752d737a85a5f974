"""Exported from the playground: é, 😀 and a tab	before findings move their columns."""
import sqlite3
import requests
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/user")
def user():
    db = sqlite3.connect("app.db")
    uid = request.args.get("id")
    label = "😀 ünïcode"; row = db.execute(f"SELECT name FROM users WHERE id = '{uid}'").fetchone()
    return {"name": row[0], "label": label}


config = yaml.load(open("café.yml"))  # ✓ noted
requests.get("http://example.com/ü")
def broken(:
    pass
