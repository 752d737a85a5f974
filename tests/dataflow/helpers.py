# Functions of the module carry taint from their arguments to what they return, and from
# their callers to the sinks inside them; a helper that returns a constant is clean.
import binascii
import html
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


def report_path(name):
    return f"/srv/reports/{name}.csv"


def fixed_path(name):
    return "/srv/reports/latest.csv"


def escaped(text):
    return html.escape(text)


def search_term():
    return request.args.get("q", "")


@app.get("/helper-argument")
def helper_argument():
    name = request.args["name"]
    return open(report_path(name)).read()  # expect: PV715 trace 31>31>32>14>32


@app.get("/helper-constant")
def helper_constant():
    name = request.args["name"]
    return open(fixed_path(name)).read()


@app.get("/helper-called-with-a-constant")
def helper_called_with_a_constant():
    return open(report_path("daily")).read()


@app.get("/helper-source")
def helper_source():
    return f"<p>{search_term()}</p>"  # expect: PV703 trace 26>26>48


@app.get("/helper-sanitiser")
def helper_sanitiser():
    return f"<p>{escaped(request.args['q'])}</p>"


def convert(file_name):
    subprocess.run(f"convert {file_name} out.png", shell=True)  # expect: PV210 trace 62>62>57


@app.post("/convert")
def convert_upload():
    convert(request.form["file"])
    return "ok"


def read_report(path):
    return open(path).read()  # expect: PV715 trace 72>72>67


@app.get("/report")
def report():
    return read_report(request.args["path"])


def read_fixed(path):
    return open(path).read()


@app.get("/fixed")
def fixed():
    return read_fixed("/srv/reports/latest.csv")


class Reports:
    def __init__(self, name):
        self.name = name
        self.base = "/srv/reports"

    def path(self):
        return f"{self.base}/{self.name}.csv"

    def read(self):
        return open(self.path()).read()  # expect: PV715


@app.get("/object")
def object_state():
    return Reports(request.args["name"]).read()


class Fixed:
    def __init__(self):
        self.name = "latest"

    def read(self):
        return open(f"/srv/{self.name}.csv").read()


def recurse(value, depth):
    if depth == 0:
        return value
    return recurse(value, depth - 1)


@app.get("/recursive")
def recursive():
    return open(recurse(request.args["p"], 3)).read()  # expect: PV715


def build_query(name):
    return f"SELECT * FROM users WHERE name = '{name}'"


@app.get("/users")
def users():
    import sqlite3

    db = sqlite3.connect("app.db")
    name = request.args["name"]
    return str(db.execute(build_query(name)).fetchall())  # expect: PV201 trace 129>129>130>121


def logged(function):
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


@logged
def upload_path(name):
    return "/srv/uploads/" + name


@app.get("/decorated")
def decorated():
    return open(upload_path(request.args["n"])).read()  # expect: PV715


@app.get("/decorated-constant")
def decorated_constant():
    return open(upload_path("latest")).read()


# A lambda is a helper too: what it returns follows its argument, and a sink inside it is
# reported with the trace back to the call that passes request data.
report_file = lambda name: f"/srv/reports/{name}.csv"  # noqa: E731
latest_file = lambda name: "/srv/reports/latest.csv"  # noqa: E731
run_shell = lambda command: subprocess.run(command, shell=True)  # noqa: E731  # expect: PV210 trace 177>177>162


@app.get("/lambda-argument")
def lambda_argument():
    return open(report_file(request.args["n"])).read()  # expect: PV715 trace 167>167>160>167


@app.get("/lambda-constant")
def lambda_constant():
    return open(latest_file(request.args["n"])).read()


@app.post("/lambda-sink")
def lambda_sink():
    run_shell("convert " + request.form["file"])
    return "ok"


@app.get("/lambda-parameter-hides")
def lambda_parameter_hides():
    name = request.args["n"]
    pick = lambda name: "/srv/reports/" + "daily"  # noqa: E731
    return open(pick(name)).read()


def archive_command(name):
    return "tar czf /backups/all.tgz /srv/reports"


@app.get("/command-helper-returns-constant-text")
def command_helper_returns_constant_text():
    os.system(archive_command(request.args["name"]))
    return "ok"


@app.get("/command-from-numbers-and-hex")
def command_from_numbers_and_hex():
    value = request.args["value"]
    os.system("kill " + str(int(value)))
    os.system("touch /tmp/" + value.encode().hex())
    os.system("touch /tmp/" + binascii.hexlify(value.encode()).decode())
    os.system("touch /tmp/" + str(value))  # expect: PV211
    return "ok"
