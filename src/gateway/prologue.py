"""The start of fastgen dev's Python processes (``worker.py``, ``web_adapter.py``): the
protocol channel, and the standby that makes a reload import only the app's own code.

The protocol runs over the process's original stdout, one JSON document per line;
everything the app prints (its logs and EMF metrics) goes to stderr, that is to the
terminal. Started with ``--standby`` as its last argument, the process first reads a JSON
list of module names from stdin, imports them (the libraries the running app imported),
writes ``{"standby": true}`` and waits for one more line before it goes on: the gateway
starts it ahead of the next reload.

Ctrl-C is the gateway's to handle (it kills its processes as it stops), and a process
whose gateway has gone, however it went, exits once its stdin or stdout closes.
"""

import importlib
import json
import os
import signal
import sys
import sysconfig

signal.signal(signal.SIGINT, signal.SIG_IGN)

protocol = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)  # the app's stdout (logs, metrics) goes where stderr goes


def send(message: dict) -> None:
    try:
        protocol.write(json.dumps(message, separators=(",", ":")) + "\n")
    except BrokenPipeError:
        os._exit(0)  # the gateway has gone


def libraries() -> list[str]:
    """The modules imported so far from the interpreter's standard library or the
    environment's installed packages: not the app's code, nor the workspace's other
    packages (installed editable, from their sources), which a reload imports afresh."""
    paths = sysconfig.get_paths()
    kinds = ("stdlib", "platstdlib", "purelib", "platlib")
    roots = tuple({os.path.realpath(paths[kind]) + os.sep for kind in kinds})
    names = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and name != "__main__" and os.path.realpath(path).startswith(roots):
            names.append(name)
    return names


if sys.argv[-1] == "--standby":
    sys.argv.pop()
    for name in json.loads(sys.stdin.readline()):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S110 - a library the app will import itself, or not
            pass
    send({"standby": True})  # then the next line is the go-ahead
    if not sys.stdin.readline():
        os._exit(0)  # the gateway has gone
