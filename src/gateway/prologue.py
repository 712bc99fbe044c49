"""The start of fastgen dev's Python processes (``worker.py``, ``web_adapter.py``): the
protocol channel, and the standby that makes a reload import only the app's own code.

The protocol runs over the process's original stdout, one JSON document per line;
everything the app prints (its logs and EMF metrics) goes to stderr, that is to the
terminal. Started with ``--standby`` as its last argument, the process first reads a JSON
list of module names from stdin, imports them (the libraries the running app imported),
writes ``{"standby": true}`` and waits for one more line before it goes on: the gateway
starts it ahead of the next reload.

The gateway stops its processes by closing their stdin (so they stop with it, however it
stops): Ctrl-C is the gateway's to handle, and a process whose gateway has gone exits.
"""

import importlib
import json
import os
import signal
import sys

signal.signal(signal.SIGINT, signal.SIG_IGN)

protocol = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)  # the app's stdout (logs, metrics) goes where stderr goes


def send(message: dict) -> None:
    try:
        protocol.write(json.dumps(message, separators=(",", ":")) + "\n")
    except BrokenPipeError:
        os._exit(0)  # the gateway has gone


def libraries() -> list[str]:
    """The modules imported so far that are not the app's own (outside this directory)."""
    here = os.getcwd() + os.sep
    names = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and not os.path.abspath(path).startswith(here) and name != "__main__":
            names.append(name)
    return names


if sys.argv[-1] == "--standby":
    sys.argv.pop()
    for name in json.loads(sys.stdin.readline()):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S110 - a library the app will import itself, or not
            pass
    send({"standby": True})
    if not sys.stdin.readline():
        os._exit(0)  # the gateway has gone
