# Containers are followed element by element where keys and positions can be computed,
# and as a whole where they cannot; a mutable container is one object under every name.
import base64
import collections
import configparser
import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/dict-clean-key")
def dict_clean_key():
    param = request.args["p"]
    d = {}
    d["a"] = "fixed.txt"
    d["b"] = param
    return open(d["a"]).read()


@app.get("/dict-tainted-key")
def dict_tainted_key():
    param = request.args["p"]
    d = {}
    d["a"] = "fixed.txt"
    d["b"] = param
    return open(d["b"]).read()  # expect: PV715 trace 24>24>27>28


@app.get("/dict-literal-and-update")
def dict_literal_and_update():
    param = request.args["p"]
    d = {"a": "fixed.txt"}
    d.update({"b": param})
    e = dict()
    e.setdefault("c", param)
    return open(d.get("a")).read() + open(d.get("b")).read()  # expect: PV715


@app.get("/dict-computed-key")
def dict_computed_key():
    param = request.args["p"]
    d = {"a": "fixed.txt"}
    d[request.args["k"]] = param
    return open(d["a"]).read()  # expect: PV715


@app.get("/list-index")
def list_index():
    param = request.args["p"]
    items = ["x", param, "y"]
    return open(items[2]).read() + open(items[1]).read()  # expect: PV715


@app.get("/list-pop")
def list_pop():
    param = request.args["p"]
    items = ["a.txt"]
    items.append(param)
    last = items.pop()
    first = items.pop()
    return open(first).read() + open(last).read()  # expect: PV715 trace 58>58>60>61>63


@app.get("/list-insert-reverse")
def list_insert_reverse():
    param = request.args["p"]
    items = ["a.txt", "b.txt"]
    items.insert(0, param)
    items.reverse()
    items.remove("a.txt")
    return open(items[0]).read() + open(items[-1]).read()  # expect: PV715


@app.get("/deque")
def deque_popleft():
    param = request.args["p"]
    queue = collections.deque()
    queue.append("a.txt")
    queue.append(param)
    return open(queue.popleft()).read()


@app.get("/configparser")
def config_values():
    param = request.args["p"]
    config = configparser.ConfigParser()
    config.set("files", "fixed", "a.txt")
    config.set("files", "asked", param)
    return open(config.get("files", "fixed")).read() + open(config.get("files", "asked")).read()  # expect: PV715


@app.get("/join")
def join_parts():
    parts = ["/srv"]
    parts.append(request.args["p"])
    return open("/".join(parts)).read()  # expect: PV715


@app.get("/join-clean")
def join_clean():
    parts = ["/srv"]
    parts.append("reports")
    return open("/".join(parts)).read()


@app.get("/alias")
def alias_of_a_list():
    a = ["/srv/a.txt"]
    b = a
    b.append(request.args["p"])
    return open(a[-1]).read()  # expect: PV715


@app.get("/string-copy")
def string_copy():
    s = "/srv/a.txt"
    copy = s
    s += request.args["p"]
    return open(copy).read()


@app.get("/slice-of-built-string")
def slice_of_built_string():
    path = "/srv/" + request.args["p"]
    return open(path[5:]).read()  # expect: PV715


@app.get("/base64-round-trip")
def base64_round_trip():
    encoded = base64.b64encode(request.args["p"].encode())
    name = base64.b64decode(encoded).decode()
    return open(name).read()  # expect: PV715


@app.get("/unpacking")
def unpacking():
    first, second = "a.txt", request.args["p"]
    return open(first).read() + open(second).read()  # expect: PV715


@app.get("/comprehension")
def comprehension():
    names = [name.strip() for name in request.args.getlist("n")]
    return open(names[0]).read()  # expect: PV715


@app.get("/walrus")
def walrus():
    if (name := request.args.get("n")) is not None:
        return open(name).read()  # expect: PV715
    return "none"


# SQL clauses gathered in a list: the query is fixed when everything the data flow saw go
# into the list is fixed text; a list handed to a call that may fill it could hold anything.
def fill(clauses):
    clauses.append(input())


def search(db, active, role):
    clauses = ["deleted = 0"]
    if active:
        clauses.append("active = 1")
    clauses.extend(["role = ?"])
    return db.execute("SELECT * FROM users WHERE " + " AND ".join(clauses), (role,))


def search_filled(db):
    clauses = ["deleted = 0"]
    fill(clauses)
    return db.execute("SELECT * FROM users WHERE " + " AND ".join(clauses))  # expect: PV201


def search_reset(db, where):
    clauses = [where]
    clauses = ["deleted = 0"]
    return db.execute("SELECT * FROM users WHERE " + " AND ".join(clauses))


def search_appended(db, where):
    clauses = ["deleted = 0"]
    clauses.append(where)
    return db.execute("SELECT * FROM users WHERE " + " AND ".join(clauses))  # expect: PV201



# The shell rule judges commands by what they are built from: a constant element of a
# known container is constant text, whatever else the container holds.
@app.get("/command-from-a-constant-element")
def command_from_a_constant_element():
    options = {"level": "-9"}
    options.update({"name": request.args["name"]})
    os.system("gzip " + options["level"] + " /srv/report.csv")
    os.system("gzip " + options.get("level") + " /srv/report.csv")
    os.system("gzip /srv/" + options["name"])  # expect: PV211
    return "ok"
