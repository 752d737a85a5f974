# Conditions that evaluate to a constant prune the branch that cannot run; the mirror
# cases (the tainted branch is the one that runs) keep the finding.
from flask import Flask, request

app = Flask(__name__)

LIMIT = 200
MODES = ("fast", "safe")


@app.get("/conditional-expression-true")
def conditional_expression_true():
    param = request.args.get("p")
    num = 106
    bar = "safe" if 7 * 18 + num > LIMIT else param
    return open(f"/srv/{bar}").read()


@app.get("/conditional-expression-false")
def conditional_expression_false():
    param = request.args.get("p")
    num = 106
    bar = "safe" if 7 * 18 + num < LIMIT else param
    return open(f"/srv/{bar}").read()  # expect: PV715 trace 21>21>23>24


@app.get("/if-statement-true")
def if_statement_true():
    param = request.args.get("p")
    num = 86
    if 7 * 42 - num > 200:
        bar = "safe"
    else:
        bar = param
    return open(f"/srv/{bar}").read()


@app.get("/if-statement-false")
def if_statement_false():
    param = request.args.get("p")
    num = 106
    if 7 * 42 - num > 200:
        bar = "safe"
    else:
        bar = param
    return open(f"/srv/{bar}").read()  # expect: PV715 trace 40>40>45>46


@app.get("/strings-and-containers")
def strings_and_containers():
    param = request.args.get("p")
    mode = "fast"
    if mode not in MODES or len(mode) != 4 or mode[0] != "f" or mode[1:3] != "as":
        return open(param).read()
    return "ok"


@app.get("/containers-mirror")
def containers_mirror():
    param = request.args.get("p")
    mode = "slow"
    if mode not in MODES:
        return open(param).read()  # expect: PV715
    return "ok"


@app.get("/boolean-operators")
def boolean_operators():
    param = request.args.get("p")
    debug = False
    if debug and param:
        return open(param).read()
    if not debug or param:
        return "ok"
    return open(param).read()


@app.get("/while-false")
def while_false():
    param = request.args.get("p")
    name = "a.txt"
    while 2 + 2 == 5:
        name = param
    return open(name).read()


@app.get("/match-constant")
def match_constant():
    param = request.args.get("p")
    kind = "report"
    match kind:
        case "upload":
            name = param
        case "report":
            name = "report.txt"
    return open(name).read()


@app.get("/rebound-is-not-constant")
def rebound_is_not_constant():
    param = request.args.get("p")
    num = 106
    if param:
        num = 0
    if num > 100:
        return "ok"
    return open(param).read()  # expect: PV715


@app.get("/floats-and-none")
def floats_and_none():
    param = request.args.get("p")
    ratio = 0.5
    marker = None
    if ratio * 4 == 2.0 and marker is None:
        return "ok"
    return open(param).read()


DEBUG_DOWNLOADS = False


@app.get("/feature-flag-off")
def feature_flag_off():
    if DEBUG_DOWNLOADS:
        return open(request.args["p"]).read()
    return "off"


@app.get("/after-return")
def after_return():
    return "off"
    return open(request.args["p"]).read()


# Commands and queries are judged by the text they are built from: a constant condition
# picks the text, and a call in a branch that cannot run runs nothing.
DEBUG_SHELL = False


def list_directory(name, verbose):
    import os

    flag = "-la" if LIMIT > 100 else name
    os.system("ls " + flag)
    if DEBUG_SHELL:
        os.system("ls " + name)


def list_directory_mirror(name):
    import os

    flag = "-la" if LIMIT < 100 else name
    os.system("ls " + flag)  # expect: PV211
    if not DEBUG_SHELL:
        os.system("ls " + name)  # expect: PV211
