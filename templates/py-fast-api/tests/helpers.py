"""Test helpers: stdout parsing, the line logged per request and the request metrics a Lambda
invocation publishes."""

from dataclasses import dataclass
from typing import Any


@dataclass
class Output:
    """Stdout of the code under test, split into JSON log lines and EMF metric documents."""

    logs: list[dict[str, Any]]
    metrics: list[dict[str, Any]]

    def metric_docs(self, name: str) -> list[dict[str, Any]]:
        return [doc for doc in self.metrics if name in doc]

    def log(self, message: str) -> dict[str, Any]:
        """The one log line whose message is ``message``."""
        [line] = [log for log in self.logs if log["message"] == message]
        return line

    def request_lines(self) -> list[dict[str, Any]]:
        """The ``Request completed`` lines: one per request, once its response is sent."""
        return [log for log in self.logs if log["message"] == "Request completed"]


def assert_request_line(
    line: dict[str, Any], http_method: str, path: str, route: str, status_code: int
) -> None:
    """``line`` is the INFO line logged when a ``http_method`` request of ``path`` (matched by
    ``route``, ``UNMATCHED`` if none) completed with ``status_code``."""
    assert line["level"] == "INFO"
    assert line["service"] == "{{ class_name }}"
    assert (line["http_method"], line["path"], line["route"], line["status_code"]) == (
        http_method,
        path,
        route,
        status_code,
    )
    assert isinstance(line["latency_ms"], float)
    assert line["latency_ms"] >= 0
    assert line["correlation_id"]
    assert "taskName" not in line  # Python's asyncio task name: noise, left out


def assert_invocation_metrics(doc: dict[str, Any], route: str) -> None:
    """``doc`` is the EMF document of one successful Lambda invocation of ``route``."""
    assert doc["route"] == route
    assert doc["service"] == "{{ class_name }}"
    assert (doc["RequestCount"], doc["Success"], doc["Failure"]) == ([1.0], [1.0], [0.0])
    assert doc["Latency"][0] >= 0
    [directive] = doc["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "{{ class_name }}"
    assert ["route", "service"] in [sorted(dims) for dims in directive["Dimensions"]]
