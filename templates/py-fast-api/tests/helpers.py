"""Test helpers: stdout parsing and the request metrics a Lambda invocation publishes."""

from dataclasses import dataclass
from typing import Any


@dataclass
class Output:
    """Stdout of the code under test, split into JSON log lines and EMF metric documents."""

    logs: list[dict[str, Any]]
    metrics: list[dict[str, Any]]

    def metric_docs(self, name: str) -> list[dict[str, Any]]:
        return [doc for doc in self.metrics if name in doc]


def assert_invocation_metrics(doc: dict[str, Any], route: str) -> None:
    """``doc`` is the EMF document of one successful Lambda invocation of ``route``."""
    assert doc["route"] == route
    assert doc["service"] == "{{ class_name }}"
    assert (doc["RequestCount"], doc["Success"], doc["Failure"]) == ([1.0], [1.0], [0.0])
    assert doc["Latency"][0] >= 0
    [directive] = doc["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "{{ class_name }}"
    assert ["route", "service"] in [sorted(dims) for dims in directive["Dimensions"]]
