"""fastgen dev's stand-in for the Lambda Web Adapter's side of an API: imports the app
once and serves it under uvicorn, as the app's ``run.sh`` does in Lambda.

Run as ``python -c <prologue.py + this> <module>`` (``my_api.main``) in the API's
project directory. It binds a free port on 127.0.0.1, then writes one protocol line
(see ``prologue.py``), ``{"ready": {"port": ..., "openapi": ..., "libraries": [...]}}``
(the spec of the module's FastAPI ``app``, for the routes, and the modules it imported
besides the app's), or ``{"failed": "<traceback>"}`` when the import fails. It exits
when its stdin closes, that is when the gateway stops, however it stops.
"""

import socket
import threading
import traceback


def exit_with_the_gateway() -> None:
    sys.stdin.read()
    os._exit(0)


def main(module: str) -> None:
    try:
        app = importlib.import_module(module).app
        spec = app.openapi()
        import uvicorn
    except BaseException:
        send({"failed": traceback.format_exc()})
        return
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)  # requests queue until uvicorn accepts them
    send({"ready": {"port": listener.getsockname()[1], "openapi": spec, "libraries": libraries()}})
    threading.Thread(target=exit_with_the_gateway, daemon=True).start()
    config = uvicorn.Config(app, access_log=False, log_level="warning")
    uvicorn.Server(config).run(sockets=[listener])


main(sys.argv[1])
