// The snippet a first-time visitor sees: a small web handler with real problems.

export const SAMPLE = `"""A tiny image service. Can you spot what is wrong?"""
import sqlite3
import subprocess

import yaml
from flask import Flask, request

app = Flask(__name__)
STRIPE_KEY = "sk_live_51HqLyjWDarjtT1zdp7dcXYZa"


@app.route("/thumbnail")
def thumbnail():
    name = request.args["name"]
    subprocess.run(f"convert {name} -resize 128x128 thumb.png", shell=True)
    return "ok"


@app.route("/user")
def user():
    db = sqlite3.connect("app.db")
    uid = request.args.get("id")
    row = db.execute(f"SELECT name FROM users WHERE id = '{uid}'").fetchone()
    return {"name": row[0]}


@app.route("/settings", methods=["POST"])
def settings():
    config = yaml.load(request.data)
    return {"keys": sorted(config)}
`;
