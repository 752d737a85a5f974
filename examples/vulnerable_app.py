"""A small inventory service with the mistakes a security review finds every week.

Try it: `pyvet check examples/vulnerable_app.py`. Each unsafe function sits next to a safe
one that does the same job, so you can see what pyvet flags and what it leaves alone.
"""

import os
import pickle
import sqlite3
import subprocess

import yaml
from flask import Flask, jsonify, request

app = Flask(__name__)

# A live credential committed to the repository.
PAYMENTS_API_KEY = "sk_live_51Jv2kQH7sXw9TbLmR3yPz8dN0fGh4Ue"
# Read from the environment instead: nothing secret in the code.
MAPS_API_KEY = os.environ.get("MAPS_API_KEY", "")
TOKEN_TYPE = "Bearer"


def db():
    return sqlite3.connect(os.environ.get("INVENTORY_DB", "inventory.sqlite3"))


@app.route("/items")
def search_items():
    name = request.args.get("name", "")
    cursor = db().cursor()
    # The user's text becomes part of the SQL statement.
    cursor.execute(f"SELECT id, name, price FROM items WHERE name = '{name}'")
    return jsonify(cursor.fetchall())


@app.route("/items/safe")
def search_items_safely():
    name = request.args.get("name", "")
    cursor = db().cursor()
    cursor.execute("SELECT id, name, price FROM items WHERE name = ?", (name,))
    return jsonify(cursor.fetchall())


@app.route("/import", methods=["POST"])
def import_items():
    # yaml.load without a safe loader can build arbitrary Python objects.
    items = yaml.load(request.data)
    return jsonify(count=len(items))


@app.route("/import/safe", methods=["POST"])
def import_items_safely():
    items = yaml.safe_load(request.data)
    return jsonify(count=len(items))


@app.route("/cart/restore", methods=["POST"])
def restore_cart():
    # Unpickling data from a client runs whatever code the client wants.
    cart = pickle.loads(request.get_data())
    return jsonify(items=cart)


@app.route("/backup", methods=["POST"])
def backup():
    target = request.form["target"]
    # A shell parses this line: `target` can add commands of its own.
    subprocess.run(f"tar czf {target} /srv/inventory", shell=True, check=True)
    return jsonify(ok=True)


@app.route("/backup/safe", methods=["POST"])
def backup_safely():
    target = os.path.basename(request.form["target"])
    subprocess.run(["tar", "czf", target, "/srv/inventory"], check=True)
    return jsonify(ok=True)


def load_settings(path="settings.yaml"):
    with open(path) as handle:
        return yaml.load(handle, Loader=yaml.SafeLoader)


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "8000")))
