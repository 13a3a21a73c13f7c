"""The ceiling of this stack on this machine: a Flask app that returns a fixed response."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def fixed() -> str:
    return "ok"
