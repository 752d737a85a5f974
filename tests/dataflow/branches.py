# Branches merge what they assign ("may be tainted"); a value replaced by a constant on
# every path is clean afterwards; loops, try/except and early exits are followed.
import os

from flask import Flask, abort, request

app = Flask(__name__)


@app.get("/falsy-default")
def falsy_default():
    p = request.args.get("p")
    if not p:
        p = ""
    return open(f"/srv/{p}").read()  # expect: PV715 trace 12>12>15


@app.get("/equal-default")
def equal_default():
    p = request.args.get("p")
    if p == "x":
        p = ""
    return open(f"/srv/{p}").read()  # expect: PV715 trace 20>20>23


@app.get("/every-path-constant")
def every_path_constant():
    p = request.args.get("p")
    if p:
        p = "fixed"
    else:
        p = "other"
    return open(f"/srv/{p}").read()


@app.get("/elif-chain")
def elif_chain():
    p = request.args.get("p")
    if p == "a":
        name = "a.txt"
    elif p == "b":
        name = "b.txt"
    else:
        name = p
    return open(name).read()  # expect: PV715 trace 38>38>44>45


@app.get("/elif-chain-closed")
def elif_chain_closed():
    p = request.args.get("p")
    if p == "a":
        name = "a.txt"
    elif p == "b":
        name = "b.txt"
    else:
        return "unknown"
    return open(name).read()


@app.get("/loop-carried")
def loop_carried():
    p = request.args["x"]
    out = "start"
    for _ in range(3):
        previous = out
        out = p
    return open(previous).read()  # expect: PV715 trace 62>62>66>65>67


@app.get("/loop-overwritten")
def loop_overwritten():
    p = request.args["x"]
    for _ in range(3):
        p = "fixed"
    return open(p).read()  # expect: PV715


@app.get("/while-break")
def while_break():
    p = request.args["x"]
    name = "default.txt"
    while True:
        if p:
            name = p
            break
    return open(name).read()  # expect: PV715


@app.get("/continue")
def skip_with_continue():
    name = "default.txt"
    for p in ["a", "b"]:
        if p == "a":
            continue
        name = request.args["x"]
    return open(name).read()  # expect: PV715


@app.get("/except")
def from_the_handler():
    p = request.args["x"]
    try:
        value = "fixed"
        value = p
        int("3")
    except ValueError:
        return open(value).read()  # expect: PV715
    return "ok"


@app.get("/except-before")
def handler_before_the_taint():
    try:
        value = "fixed"
        int("3")
    except ValueError:
        return open(value).read()
    return request.args["x"]  # expect: PV703


@app.get("/early-return")
def early_return():
    p = request.args["x"]
    if p:
        return "given"
    p = "default.txt"
    return open(p).read()


@app.get("/augmented")
def augmented():
    s = request.args["q"]
    s += ".txt"
    return open(s).read()  # expect: PV715 trace 132>132>133>134


@app.get("/copy-of-a-string")
def copy_of_a_string():
    s = "report"
    copy = s
    s += request.args["q"]
    return open(copy).read()


@app.get("/with")
def with_item():
    with request.files["f"].stream as name:
        return open(name).read()  # expect: PV715


@app.get("/match")
def match_statement():
    p = request.args["x"]
    match p:
        case "a":
            name = "a.txt"
        case _:
            name = p
    return open(name).read()  # expect: PV715


@app.get("/match-closed")
def match_closed():
    p = request.args["x"]
    match p:
        case "a":
            name = "a.txt"
        case _:
            abort(404)
    return open(name).read()


# A SQL fragment reassigned to fixed text on every path is fixed; on one path only, not.

def order_by(db, requested):
    column = requested
    column = "name"
    return db.execute(f"SELECT * FROM users ORDER BY {column}")


def order_by_requested(db, requested, default):
    column = "name"
    if not default:
        column = requested
    return db.execute(f"SELECT * FROM users ORDER BY {column}")  # expect: PV201


# A command reassigned to fixed text on one path only still carries the other path's value.
def list_files(name, safe):
    import os

    command = "ls " + name
    if safe:
        command = "ls"
    os.system(command)  # expect: PV211


def list_files_fixed(safe):
    import os

    mode = "-l"
    if safe:
        mode = "-la"
    os.system("ls " + mode)


# A command whose last assignment on every path is a constant is that constant.
@app.get("/command-reassigned-to-a-constant")
def command_reassigned_to_a_constant():
    flags = request.args["flags"]
    flags = "-la"
    os.system("ls " + flags)
    return "ok"


# A loop test is judged with what the body sends back: `len(name) < 5` is true on entry
# only, so the code after the loop runs, and the value grown in the loop reaches it.
@app.get("/grown-in-a-while-loop")
def grown_in_a_while_loop():
    name = "a"
    while len(name) < 5:
        name = name + request.args["part"]
    os.system("touch /srv/" + name)  # expect: PV211
    return open("/srv/" + name).read()  # expect: PV715


# A test no assignment in the body changes stays true: nothing after the loop runs.
@app.get("/constant-while-true")
def constant_while_true():
    limit = 3
    while limit > 0:
        os.system("sleep 1")
    return open("/srv/" + request.args["name"]).read()
