# Sinks reached through values the data flow builds: an argument list built in place, a
# path joined with pathlib, a file probed by name.
import os
import subprocess
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
BASE = "/srv/files"


@app.post("/echo")
def echo():
    cmd = request.form["cmd"]
    args = []
    args.append("sh")
    args.append("-c")
    args.append(f"echo {cmd}")
    subprocess.run(args)  # expect: PV210
    return "ok"


@app.post("/echo-fixed")
def echo_fixed():
    args = []
    args.append("sh")
    args.append("-c")
    args.append("echo hello")
    subprocess.run(args)
    return "ok"


@app.post("/argv")
def argv_without_shell():
    name = request.form["name"]
    args = ["convert"]
    args.append(name)
    args.append("out.png")
    subprocess.run(args)
    return "ok"


@app.get("/pathlib")
def pathlib_join():
    p = request.args["p"]
    return (Path(BASE) / p).read_text()  # expect: PV715


@app.get("/exists")
def exists():
    p = request.args["p"]
    return str(os.path.exists(f"{BASE}/{p}"))  # expect: PV715
