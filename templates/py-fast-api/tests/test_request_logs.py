"""What each request logs, whatever runs the app: each test runs once through the ASGI app
(``app``, as uvicorn serves it) and once for each way AWS Lambda invokes it."""

from collections.abc import Callable

from .helpers import Output, assert_request_line


def test_the_request_line_is_off_at_warning(
    get: Callable[[str], int],
    failing_route: str,
    log_level: Callable[[str], None],
    output: Callable[[], Output],
) -> None:
    log_level("WARNING")
    output()
    assert get("/items/3") == 200
    assert get(failing_route) == 500
    # Only the failure's ERROR line: no INFO line, the request lines included.
    assert [log["message"] for log in output().logs] == ["Unhandled exception"]


def test_requests_do_not_share_log_keys(
    get: Callable[[str], int], tagging_route: str, output: Callable[[], Output]
) -> None:
    output()
    get(tagging_route)
    assert output().log("Tagged")["tenant_id"] == "acme"

    get("/items/3")
    get("/echo")
    logs = output().logs
    fetching, item_line, echo_line = logs
    assert fetching["message"] == "Fetching item"
    # Nothing of an earlier request: neither the key its route appended, nor its request line's.
    for log in logs:
        assert "tenant_id" not in log, log
    assert not {"status_code", "latency_ms"} & fetching.keys(), fetching
    assert_request_line(item_line, "GET", "/items/3", "/items/{item_id}", 200)
    assert_request_line(echo_line, "GET", "/echo", "/echo", 200)
    assert "item_id" not in echo_line
    assert echo_line.keys() == item_line.keys()


def test_keys_appended_to_the_logger_end_with_the_invocation(
    invoke: Callable[[str], int], appending_route: str, output: Callable[[], Output]
) -> None:
    output()
    invoke(appending_route)
    assert output().log("Appended")["user"] == "alice"

    invoke("/items/3")  # the next invocation, warm
    logs = output().logs
    assert len(logs) == 2
    for log in logs:
        assert "user" not in log, log
