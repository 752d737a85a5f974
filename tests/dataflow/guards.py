# Checks that end the request when they fail make the value safe for the sinks they
# protect, on the path that goes on; the same code without the check, or with a check for
# another kind of sink, keeps the finding.
import os
import re
import sqlite3
from pathlib import Path

import requests
from flask import Flask, abort, redirect, request

app = Flask(__name__)
BASE = "/srv/files"
ALLOWED_HOSTS = {"api.example.com"}
REPORTS = ["daily", "weekly"]
COLUMNS = {"name", "created"}
db = sqlite3.connect("app.db")


@app.get("/slash-and-dots")
def slash_and_dots():
    p = request.args["p"]
    if "/" in p or ".." in p:
        abort(400)
    return open(f"{BASE}/{p}").read()


@app.get("/dots-only-in-one-branch")
def dots_checked_in_one_branch():
    p = request.args["p"]
    if request.args.get("strict"):
        if ".." in p:
            abort(400)
    return open(f"{BASE}/{p}").read()  # expect: PV715


@app.get("/resolved-and-contained")
def resolved_and_contained():
    p = request.args["p"]
    target = (Path(BASE) / p).resolve()
    if not target.is_relative_to(BASE):
        abort(403)
    return open(target).read()


@app.get("/resolved-not-checked")
def resolved_not_checked():
    p = request.args["p"]
    target = (Path(BASE) / p).resolve()
    return open(target).read()  # expect: PV715


@app.get("/realpath-prefix")
def realpath_prefix():
    p = request.args["p"]
    full = os.path.realpath(os.path.join(BASE, p))
    if not full.startswith(BASE + os.sep):
        abort(403)
    return open(full).read()


@app.get("/allow-list")
def allow_list():
    name = request.args["report"]
    if name not in REPORTS:
        return "unknown report", 404
    return open(f"{BASE}/{name}.csv").read()


@app.get("/allow-list-inline")
def allow_list_inline():
    name = request.args["report"]
    if name in ("daily", "weekly"):
        return open(f"{BASE}/{name}.csv").read()
    return open(f"{BASE}/{name}.csv").read()  # expect: PV715


@app.get("/digits")
def digits():
    page = request.args["page"]
    if not page.isdigit():
        abort(400)
    return open(f"{BASE}/page-{page}.html").read()


@app.get("/pattern")
def pattern():
    slug = request.args["slug"]
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        abort(400)
    return open(f"{BASE}/{slug}.md").read()


@app.get("/pattern-with-dots")
def pattern_with_dots():
    slug = request.args["slug"]
    if not re.fullmatch(r"[a-z0-9.-/]+", slug):
        abort(400)
    return open(f"{BASE}/{slug}.md").read()  # expect: PV715


@app.get("/host")
def host_allow_list():
    url = request.args["url"]
    host = requests.utils.urlparse(url).hostname
    if host not in ALLOWED_HOSTS:
        abort(400)
    return requests.get(url, timeout=5).text


@app.get("/host-unchecked")
def host_unchecked():
    url = request.args["url"]
    return requests.get(url, timeout=5).text  # expect: PV710


@app.get("/host-check-is-not-a-path-check")
def host_check_is_not_a_path_check():
    url = request.args["url"]
    host = requests.utils.urlparse(url).hostname
    if host not in ALLOWED_HOSTS:
        abort(400)
    return open(url).read()  # expect: PV715


@app.get("/quoted")
def quoted_literal():
    p = request.args["p"]
    if not p.startswith("'") or not p.endswith("'") or "'" in p[1:-1]:
        return "bad"
    return eval(p)


@app.get("/half-quoted")
def half_quoted():
    p = request.args["p"]
    if not p.startswith("'") or not p.endswith("'"):
        return "bad"
    return eval(p)  # expect: PV720


@app.get("/assert")
def asserted():
    p = request.args["p"]
    assert p in REPORTS
    return open(p).read()


@app.get("/replaced-when-the-check-fails")
def replaced_when_the_check_fails():
    # Where the check fails the value is replaced: what reaches the use is either the
    # checked value or the constant.
    p = request.args["p"]
    if ".." in p or "/" in p:
        p = "index.html"
    target = request.args["next"]
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    open(f"{BASE}/{p}").read()
    return redirect(target)


@app.get("/replaced-with-another-request-value")
def replaced_with_another_request_value():
    p = request.args["p"]
    if ".." in p:
        p = request.args["fallback"]
    return open(f"{BASE}/{p}").read()  # expect: PV715 trace 167>167>168


@app.get("/checked-only-on-one-path")
def checked_only_on_one_path():
    target = request.args["next"]
    if request.args.get("strict"):
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
    return redirect(target)  # expect: PV711


# An allow-listed value is the code's own choice: not only is its taint cut, a command or
# query built from it is not "built from a value the code does not show".
@app.get("/sort-column-allow-listed")
def sort_column_allow_listed():
    column = request.args["sort"]
    if column not in COLUMNS:
        abort(400)
    return str(db.execute("SELECT * FROM users ORDER BY " + column).fetchall())


@app.get("/sort-column-equal-to-constants")
def sort_column_equal_to_constants():
    column = request.args["sort"]
    if column == "name" or column == "created":
        return str(db.execute(f"SELECT * FROM users ORDER BY {column}").fetchall())
    return "unknown column"


@app.get("/sort-column-checked-on-one-path")
def sort_column_checked_on_one_path():
    column = request.args["sort"]
    if request.args.get("strict") and column not in COLUMNS:
        abort(400)
    return str(db.execute("SELECT * FROM users ORDER BY " + column).fetchall())  # expect: PV201


def archive(report):
    if report not in REPORTS:
        raise ValueError(report)
    os.system("tar czf /backups/report.tgz /srv/reports/" + report)


@app.get("/report-allow-listed-with-early-return")
def report_allow_listed_with_early_return():
    report = request.args["report"]
    if report not in REPORTS:
        return "unknown report", 400
    os.system("gzip /srv/reports/" + report)
    return "ok"


# The client's own data is not an allow-list.
@app.post("/in-the-request-itself")
def in_the_request_itself():
    key = request.args["key"]
    if key in request.form:
        os.system("echo " + key)  # expect: PV211
    name = request.args["name"]
    if name not in request.headers.keys():
        abort(400)
    os.system("echo " + name)  # expect: PV211
    return "ok"
