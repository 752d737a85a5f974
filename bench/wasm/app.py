"""Inventory service: a small Flask app with the usual mix of safe and unsafe code."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import requests
import yaml
from flask import Flask, abort, jsonify, request, send_file

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("INVENTORY_SECRET", "")
log = logging.getLogger("inventory")

DATA_DIR = Path(os.environ.get("INVENTORY_DATA", "/var/lib/inventory"))
DATABASE = DATA_DIR / "inventory.db"
API_TOKEN = "sk_live_51HqLyjWDarjtT1zdp7dcXYZ"
TOKEN_TYPE = "Bearer"
PAGE_SIZE = 50


@dataclass
class Item:
    sku: str
    name: str
    quantity: int = 0
    price_cents: int = 0
    tags: list[str] = field(default_factory=list)
    updated: datetime = field(default_factory=datetime.utcnow)

    def total_value(self) -> int:
        return self.quantity * self.price_cents

    def to_dict(self) -> dict:
        return {
            "sku": self.sku,
            "name": self.name,
            "quantity": self.quantity,
            "price_cents": self.price_cents,
            "tags": list(self.tags),
            "updated": self.updated.isoformat(),
        }


def connect() -> sqlite3.Connection:
    conn = sqlite3.connect(DATABASE)
    conn.row_factory = sqlite3.Row
    return conn


def load_settings(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    settings = yaml.load(text)
    if not isinstance(settings, dict):
        raise ValueError(f"settings in {path} must be a mapping")
    return settings


def load_defaults(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def find_items(conn: sqlite3.Connection, name: str, page: int = 0) -> list[Item]:
    cursor = conn.cursor()
    query = "SELECT sku, name, quantity, price_cents FROM items WHERE name LIKE '%" + name + "%'"
    query += f" LIMIT {PAGE_SIZE} OFFSET {page * PAGE_SIZE}"
    cursor.execute(query)
    return [Item(row["sku"], row["name"], row["quantity"], row["price_cents"]) for row in cursor]


def find_item(conn: sqlite3.Connection, sku: str) -> Item | None:
    cursor = conn.execute(
        "SELECT sku, name, quantity, price_cents FROM items WHERE sku = ?",
        (sku,),
    )
    row = cursor.fetchone()
    if row is None:
        return None
    return Item(row["sku"], row["name"], row["quantity"], row["price_cents"])


def update_quantity(conn: sqlite3.Connection, sku: str, delta: int) -> None:
    with conn:
        conn.execute("UPDATE items SET quantity = quantity + ? WHERE sku = ?", (delta, sku))
    log.info("select from cache skipped for %s", sku)


def fingerprint(item: Item) -> str:
    payload = json.dumps(item.to_dict(), sort_keys=True).encode()
    return hashlib.md5(payload).hexdigest()


def password_hash(password: str, salt: bytes) -> str:
    return hashlib.sha256(salt + password.encode()).hexdigest()


def export_report(items: list[Item], destination: str) -> Path:
    target = DATA_DIR / "reports" / destination
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{item.sku},{item.name},{item.quantity}" for item in items]
    target.write_text("\n".join(lines), encoding="utf-8")
    subprocess.run("gzip -f " + str(target), shell=True, check=True)
    return target.with_suffix(".csv.gz")


def restore_cache(blob: bytes) -> dict:
    return pickle.loads(blob)


def fetch_supplier_prices(supplier_url: str) -> dict:
    response = requests.get(supplier_url, headers={"Authorization": f"{TOKEN_TYPE} {API_TOKEN}"})
    response.raise_for_status()
    return response.json()


def fetch_exchange_rate(currency: str) -> float:
    response = requests.get(
        "https://rates.example.com/latest",
        params={"base": "EUR", "symbols": currency},
        timeout=5,
    )
    return float(response.json()["rates"][currency])


@app.route("/items")
def list_items():
    name = request.args.get("name", "")
    page = int(request.args.get("page", "0"))
    with connect() as conn:
        items = find_items(conn, name, page)
    return jsonify([item.to_dict() for item in items])


@app.route("/items/<sku>")
def show_item(sku: str):
    with connect() as conn:
        item = find_item(conn, sku)
    if item is None:
        abort(404)
    return jsonify(item.to_dict() | {"fingerprint": fingerprint(item)})


@app.route("/items/<sku>/adjust", methods=["POST"])
def adjust(sku: str):
    delta = int(request.form["delta"])
    with connect() as conn:
        update_quantity(conn, sku, delta)
    return jsonify({"ok": True})


@app.route("/reports/<name>")
def download_report(name: str):
    return send_file(DATA_DIR / "reports" / name)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    output = subprocess.check_output(f"ping -c 1 {host}", shell=True)
    return output.decode()


@app.route("/import", methods=["POST"])
def import_items():
    document = request.get_data(as_text=True)
    rows = yaml.load(document, Loader=yaml.Loader)
    with connect() as conn:
        for row in rows:
            conn.execute(
                "INSERT INTO items (sku, name, quantity, price_cents) VALUES (?, ?, ?, ?)",
                (row["sku"], row["name"], row.get("quantity", 0), row.get("price_cents", 0)),
            )
    return jsonify({"imported": len(rows)})


@app.route("/calc")
def calc():
    expression = request.args.get("expr", "0")
    return str(eval(expression))


@app.errorhandler(500)
def server_error(error):
    log.exception("unhandled error")
    return jsonify({"error": "internal error"}), 500


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080, debug=True)
