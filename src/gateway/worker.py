"""fastgen dev's Lambda worker: imports an API's real handler once, as a Lambda sandbox
does, then calls it with each event the gateway sends.

Run as ``python -c <prologue.py + this> <module> <function>`` in the API's project
directory (the app's ``my_api.main handler``, or the Lambda authorizer's
``my_api.authorizer handler``). Its protocol (see ``prologue.py``):

- first the worker writes ``{"ready": {"openapi": ..., "libraries": [...]}}`` (the
  OpenAPI spec of the module's FastAPI ``app``, for the routes, null without one; and
  the modules it imported besides the app's, for the next standby), or
  ``{"failed": "<traceback>"}`` when the import fails;
- then for each ``{"event": ..., "context": ...}`` line read from stdin it writes
  ``{"answer": ...}``, or ``{"error": "<type>: <message>"}`` when the handler raised.
"""

import time
import traceback


class LambdaContext:
    """The Lambda context object the runtime passes a handler."""

    def __init__(self, fields: dict) -> None:
        self.function_name = fields["function_name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = fields["invoked_function_arn"]
        self.memory_limit_in_mb = fields["memory_limit_in_mb"]
        self.aws_request_id = fields["aws_request_id"]
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "fastgen-dev"
        self._deadline = time.monotonic() + fields["timeout_ms"] / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def main(module: str, function: str) -> None:
    try:
        entry = importlib.import_module(module)
        handler = getattr(entry, function)
        app = getattr(entry, "app", None)
        spec = app.openapi() if app is not None else None
    except BaseException:
        send({"failed": traceback.format_exc()})
        return
    send({"ready": {"openapi": spec, "libraries": libraries()}})
    for line in sys.stdin:
        message = json.loads(line)
        try:
            answer = handler(message["event"], LambdaContext(message["context"]))
        except Exception as error:  # noqa: BLE001 - reported to the gateway, as Lambda does
            traceback.print_exc()
            send({"error": f"{type(error).__name__}: {error}"})
        else:
            send({"answer": answer})


main(sys.argv[1], sys.argv[2])
