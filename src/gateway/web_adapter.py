"""fastgen dev's stand-in for the Lambda Web Adapter's side of an API: imports the app
once and serves it under uvicorn, as the app's ``run.sh`` does in Lambda.

Run as ``python -c <this> <module>`` (``my_api.main``) in the API's project directory.
It binds a free port on 127.0.0.1, then writes one line on its original stdout,
``{"ready": {"port": ..., "openapi": ...}}`` (the spec of the module's FastAPI ``app``,
for the routes), or ``{"failed": "<traceback>"}`` when the import fails. Everything the
app prints (its logs and EMF metrics) goes to stderr, that is to the terminal. It exits
when its stdin closes, that is when the gateway stops, however it stops.
"""

import importlib
import json
import os
import socket
import sys
import threading
import traceback

protocol = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)  # the app's stdout (logs, metrics) goes where stderr goes


def exit_with_the_gateway() -> None:
    sys.stdin.read()
    os._exit(0)


def main(module: str) -> None:
    try:
        app = importlib.import_module(module).app
        spec = app.openapi()
        import uvicorn
    except BaseException:
        protocol.write(json.dumps({"failed": traceback.format_exc()}) + "\n")
        return
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)  # requests queue until uvicorn accepts them
    ready = {"port": listener.getsockname()[1], "openapi": spec}
    protocol.write(json.dumps({"ready": ready}) + "\n")
    threading.Thread(target=exit_with_the_gateway, daemon=True).start()
    config = uvicorn.Config(app, access_log=False, log_level="warning")
    uvicorn.Server(config).run(sockets=[listener])


main(sys.argv[1])
