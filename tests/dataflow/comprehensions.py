# Comprehensions have scopes of their own: each loop target takes its values from its
# iterable, and what the comprehension builds holds what its elements hold.
import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/each-value")
def each_value():
    names = [value.strip() for value in request.args.values()]
    return open("/srv/" + names[0]).read()  # expect: PV715 trace 12>12>12>13


@app.get("/each-converted")
def each_converted():
    numbers = [int(value) for value in request.args.values()]
    return open(f"/srv/{numbers[0]}.txt").read()


@app.get("/dict-comprehension")
def dict_comprehension():
    fields = {key: value for key, value in request.form.items()}
    return open("/srv/" + fields["name"]).read()  # expect: PV715 trace 24>24>24>25


@app.get("/generator")
def generator():
    joined = "/".join(part for part in request.args.getlist("part"))
    return open("/srv/" + joined).read()  # expect: PV715


@app.get("/target-hides-outer-name")
def target_hides_outer_name():
    name = request.args["n"]
    daily = [name for name in ("a", "b")]
    return open("/srv/" + daily[0]).read()


@app.get("/outer-name-inside")
def outer_name_inside():
    name = request.args["n"]
    paths = ["/srv/" + name for _ in range(2)]
    return open(paths[0]).read()  # expect: PV715 trace 43>43>44>45


@app.get("/walrus-in-comprehension")
def walrus_in_comprehension():
    [last := value for value in request.args.values()]
    os.system("echo " + last)  # expect: PV211
