{% if compute_type.function_url %}
"""Application setup for {{ class_name }}: observability and middleware.
{% else %}
"""Application setup for {{ class_name }}: observability, middleware and the Lambda handler.
{% endif %}

Add your routes in ``main.py``. This module creates the objects they use:

- ``logger``: Powertools Logger (JSON lines with correlation id, path, route and method).
- ``tracer``: Powertools Tracer (AWS X-Ray; a no-op outside Lambda).
{% if compute_type.function_url %}
- ``metrics``: Powertools Metrics (CloudWatch EMF), flushed at the end of every Lambda invocation.
- ``app``: the FastAPI application. ``run.sh`` serves it with uvicorn; in AWS Lambda the Lambda
  Web Adapter (a layer) starts ``run.sh`` and forwards each invocation of the Lambda Function
  URL to it as an HTTP request, streaming the response back as the app writes it.
{% else %}
- ``metrics``: Powertools Metrics (CloudWatch EMF), flushed after every Lambda invocation.
- ``app``: the FastAPI application.
- ``lambda_handler``: the AWS Lambda entry point (Mangum over ``app``).
{% endif %}

Configuration comes from the usual Powertools environment variables
(``POWERTOOLS_SERVICE_NAME``, ``POWERTOOLS_METRICS_NAMESPACE``, ``POWERTOOLS_LOG_LEVEL``,
``POWERTOOLS_METRICS_DISABLED``, ``POWERTOOLS_TRACE_DISABLED``, ...) and from
``ALLOWED_ORIGINS`` (comma-separated origins allowed by CORS; CORS is off when unset).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
{% if compute_type.function_url %}
from typing import NamedTuple
{% else %}
from typing import Any, NamedTuple
{% endif %}

{% if compute_type.function_url %}
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
{% else %}
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from mangum import Mangum
{% endif %}
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._tracing import NoOpTracingProvider, tracing_enabled

SERVICE_NAME = os.getenv("POWERTOOLS_SERVICE_NAME", "{{ class_name }}")
METRICS_NAMESPACE = os.getenv("POWERTOOLS_METRICS_NAMESPACE", "{{ class_name }}")

CORRELATION_ID_HEADER = "x-correlation-id"

logger = Logger(service=SERVICE_NAME)
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE_NAME)
tracer = (
    Tracer(service=SERVICE_NAME)
    if tracing_enabled()
    else Tracer(service=SERVICE_NAME, disabled=True, provider=NoOpTracingProvider())
)


# ---------------------------------------------------------------------------------------
# Request metrics
# ---------------------------------------------------------------------------------------

_TRUTHY = frozenset({"1", "true", "yes", "y", "on"})


def _metrics_disabled() -> bool:
    """Powertools' rule: POWERTOOLS_METRICS_DISABLED, else POWERTOOLS_DEV disables them."""
    disabled = os.getenv("POWERTOOLS_METRICS_DISABLED")
    if disabled is not None:
        return disabled.strip().lower() in _TRUTHY
    return os.getenv("POWERTOOLS_DEV", "false").strip().lower() in _TRUTHY


@dataclass(slots=True)
class _RouteStats:
    requests: int = 0
    successes: int = 0
    failures: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    since: float = field(default_factory=time.monotonic)


class RequestMetrics:
    """Records ``RequestCount``, ``Success``, ``Failure`` and ``Latency`` per route.

    ``Success`` counts 1xx-3xx responses and ``Failure`` 5xx responses (including unhandled
    exceptions); client errors (4xx) only count towards ``RequestCount``.

{% if compute_type.function_url %}
    - In a Lambda invocation (a request the Lambda Web Adapter forwards) one invocation is
      one request, and Lambda freezes the process between invocations, so the metrics go to
      the shared ``metrics`` with a ``route`` dimension and ``flush_invocation`` publishes
      them (and your own metrics, which then share the dimension) before the response ends.
    - In a long-running server (uvicorn locally) requests interleave, so a shared dimension
      set would mix routes up. Each route is aggregated in memory instead and published as
      one EMF document per route every ``batch_size`` requests or ``max_age_s`` seconds, and
      on shutdown. Memory stays bounded by the number of routes times ``batch_size``.
    """
{% else %}
    - In a Lambda invocation (Mangum) one invocation is one request, so the metrics go to the
      shared ``metrics`` with a ``route`` dimension, and ``log_metrics`` flushes them (and
      your own metrics, which then share the dimension) when the invocation ends.
    - In a long-running server (uvicorn locally, or behind the Lambda Web Adapter) requests
      interleave, so a shared dimension set would mix routes up. Each route is aggregated
      in memory instead and published as one EMF document per route every ``batch_size``
      requests or ``max_age_s`` seconds, and on shutdown. Memory stays bounded by the
      number of routes times ``batch_size``.
    """
{% endif %}

    def __init__(self, batch_size: int = 50, max_age_s: float = 60.0) -> None:
        self.batch_size = batch_size
        self.max_age_s = max_age_s
        self._routes: dict[str, _RouteStats] = {}

    def record(self, route: str, status_code: int, latency_ms: float, *, in_lambda: bool) -> None:
        success = status_code < 400
        failure = status_code >= 500
        if in_lambda:
            if _metrics_disabled():  # Powertools would otherwise keep (and print) them
                return
            metrics.add_dimension(name="route", value=route)
            metrics.add_metric(name="RequestCount", unit=MetricUnit.Count, value=1)
            metrics.add_metric(name="Success", unit=MetricUnit.Count, value=int(success))
            metrics.add_metric(name="Failure", unit=MetricUnit.Count, value=int(failure))
            metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=latency_ms)
            return

        stats = self._routes.get(route)
        if stats is None:
            stats = self._routes[route] = _RouteStats()
        stats.requests += 1
        stats.successes += success
        stats.failures += failure
        stats.latencies_ms.append(latency_ms)
        if stats.requests >= self.batch_size or time.monotonic() - stats.since >= self.max_age_s:
            self._publish(route, self._routes.pop(route))

    def flush(self) -> None:
        """Publish everything buffered by a long-running server."""
        for route in list(self._routes):
            self._publish(route, self._routes.pop(route))
{% if compute_type.function_url %}

    @staticmethod
    def flush_invocation(invocation: LambdaInvocation) -> None:
        """Publish the metrics of a Lambda invocation: ``ColdStart`` on the first one, then
        the request's metrics and any you added, as ``log_metrics`` would."""
        if _metrics_disabled():
            metrics.clear_metrics()
            return
        if invocation.cold_start:
            with single_metric(
                name="ColdStart", unit=MetricUnit.Count, value=1, namespace=METRICS_NAMESPACE
            ) as metric:
                metric.add_dimension(name="function_name", value=invocation.function_name)
                metric.add_dimension(name="service", value=SERVICE_NAME)
        if metrics.metric_set:
            metrics.flush_metrics()
{% endif %}

    @staticmethod
    def _publish(route: str, stats: _RouteStats) -> None:
        """Print one CloudWatch EMF document for the route.

        Built directly rather than through Powertools' ``add_metric`` (which validates every
        value) because it runs on the request path of the server.
        """
        if _metrics_disabled():
            return
        document = {
            "_aws": {
                "Timestamp": int(time.time() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": METRICS_NAMESPACE,
                        "Dimensions": [["route", "service"]],
                        "Metrics": [
                            {"Name": "RequestCount", "Unit": "Count"},
                            {"Name": "Success", "Unit": "Count"},
                            {"Name": "Failure", "Unit": "Count"},
                            {"Name": "Latency", "Unit": "Milliseconds"},
                        ],
                    }
                ],
            },
            "route": route,
            "service": SERVICE_NAME,
            "RequestCount": stats.requests,
            "Success": stats.successes,
            "Failure": stats.failures,
            "Latency": [round(latency_ms, 3) for latency_ms in stats.latencies_ms],
        }
        print(json.dumps(document, separators=(",", ":")), flush=True)


request_metrics = RequestMetrics()


# ---------------------------------------------------------------------------------------
# Middleware (pure ASGI: no BaseHTTPMiddleware, so it adds little per request)
# ---------------------------------------------------------------------------------------


{% if compute_type.function_url %}
class LambdaInvocation(NamedTuple):
    """The Lambda invocation behind a request, from the ``x-amzn-lambda-context`` header
    that the Lambda Web Adapter adds to every request it forwards."""

    request_id: str
    function_name: str
    function_arn: str
    function_memory_size: int | None
    xray_trace_id: str | None
    cold_start: bool


_LAMBDA_CONTEXT_HEADER = b"x-amzn-lambda-context"
_TRACE_ID_HEADER = b"x-amzn-trace-id"
_cold_start = True  # until the first Lambda invocation of this process


def _lambda_invocation(scope: Scope) -> LambdaInvocation | None:
    """The invocation the Lambda Web Adapter forwarded, or ``None`` outside Lambda."""
    global _cold_start
    raw = trace_id = None
    for name, value in scope["headers"]:
        if name == _LAMBDA_CONTEXT_HEADER:
            raw = value
        elif name == _TRACE_ID_HEADER:
            trace_id = value.decode("latin-1")
    if raw is None:
        return None
    try:
        context = json.loads(raw)
        request_id = str(context["request_id"])
    except (ValueError, KeyError, TypeError):
        logger.warning("Ignoring a malformed x-amzn-lambda-context header")
        return None
    config = context.get("env_config") or {}
    memory = config.get("memory")
    cold_start, _cold_start = _cold_start, False
    return LambdaInvocation(
        request_id=request_id,
        function_name=str(
            config.get("function_name") or os.getenv("AWS_LAMBDA_FUNCTION_NAME", SERVICE_NAME)
        ),
        function_arn=str(context.get("invoked_function_arn") or ""),
        function_memory_size=memory if isinstance(memory, int) else None,
        xray_trace_id=context.get("xray_trace_id") or trace_id,
        cold_start=cold_start,
    )


class _RequestContext(NamedTuple):
    correlation_id: str
    scope: Scope
    invocation: LambdaInvocation | None
{% else %}
class _RequestContext(NamedTuple):
    correlation_id: str
    scope: Scope
{% endif %}


_request_context: ContextVar[_RequestContext | None] = ContextVar("request_context", default=None)


def get_correlation_id() -> str | None:
    """The correlation id of the request being handled (e.g. to pass on to other services)."""
    context = _request_context.get()
    return context.correlation_id if context is not None else None


{% if compute_type.function_url %}
class _RequestLogContext(logging.Filter):
    """Adds ``correlation_id``, ``path``, ``method`` and ``route`` to each log record, and in
    a Lambda invocation the keys Powertools' ``inject_lambda_context`` would add
    (``function_request_id``, ``function_name``, ``cold_start``, ...).
{% else %}
class _RequestLogContext(logging.Filter):
    """Adds ``correlation_id``, ``path``, ``method`` and ``route`` to each log record.
{% endif %}

    The request is looked up when a line is logged rather than copied into the logger on
    every request, so requests that log nothing pay nothing. The lookup goes through a
    context variable, so concurrent requests (and the worker threads running sync routes)
    each see their own request, and nothing outlives it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        context = _request_context.get()
        if context is not None:
            scope = context.scope
            fields = record.__dict__  # an explicit ``extra=`` of the same name wins
            fields.setdefault("correlation_id", context.correlation_id)
            fields.setdefault("path", scope["path"])
            fields.setdefault("method", scope["method"])
            if (route := _route_template(scope)) is not None:
                fields.setdefault("route", route)
{% if compute_type.function_url %}
            if (invocation := context.invocation) is not None:
                fields.setdefault("function_name", invocation.function_name)
                fields.setdefault("function_request_id", invocation.request_id)
                fields.setdefault("function_arn", invocation.function_arn)
                if invocation.function_memory_size is not None:
                    fields.setdefault("function_memory_size", invocation.function_memory_size)
                fields.setdefault("cold_start", invocation.cold_start)
{% endif %}
        return True


_CORRELATION_ID_HEADER_BYTES = CORRELATION_ID_HEADER.encode()
_MAX_CORRELATION_ID_LENGTH = 128
_UNMATCHED_ROUTE = "UNMATCHED"


{% if compute_type.function_url %}
def _correlation_id(scope: Scope, invocation: LambdaInvocation | None) -> str:
{% else %}
def _correlation_id(scope: Scope, lambda_context: LambdaContext | None) -> str:
{% endif %}
    """``x-correlation-id`` header, else the Lambda request id, else a new uuid4."""
    for name, value in scope["headers"]:
        if name == _CORRELATION_ID_HEADER_BYTES:
            candidate = value.decode("latin-1").strip()
            if 0 < len(candidate) <= _MAX_CORRELATION_ID_LENGTH and candidate.isprintable():
                return candidate
            break
{% if compute_type.function_url %}
    if invocation is not None:
        return invocation.request_id
{% else %}
    if lambda_context is not None:
        return lambda_context.aws_request_id
{% endif %}
    return _new_uuid4()


def _new_uuid4() -> str:
    """``str(uuid.uuid4())`` at a quarter of the cost: ``uuid.UUID`` validates its input,
    which is half of this middleware's time per request."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _route_template(scope: Scope) -> str | None:
    """The matched route's path template (e.g. ``/items/{item_id}``), once routed."""
    route = scope.get("route")
    return getattr(route, "path_format", None)


class ObservabilityMiddleware:
    """Correlation id, per-request logging context, request metrics and the safe 500.

    - The correlation id is added to every log line and echoed in ``x-correlation-id``.
    - ``path``, ``method`` and ``route`` (once matched) are added to every log line of the
      request (see ``_RequestLogContext``); concurrent requests never see each other's.
    - An unhandled exception is logged with its stack trace, counted as a ``Failure`` and
      answered with a JSON 500 that carries the correlation id and no internals.
      ``HTTPException`` and validation errors are FastAPI's business and pass through.
{% if compute_type.function_url %}
    - In a Lambda invocation (the ``x-amzn-lambda-context`` header of the Lambda Web
      Adapter) the Lambda request id is the default correlation id, the X-Ray trace id is
      handed to the tracer, and the metrics are flushed before the last chunk of the
      response is sent: Lambda may freeze the process as soon as the response ends.
{% endif %}
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

{% if compute_type.function_url %}
        started = time.perf_counter()
        invocation = _lambda_invocation(scope)
        if invocation is not None and invocation.xray_trace_id:
            # What the Lambda runtime does for its handler: the X-Ray SDK reads it from here.
            os.environ["_X_AMZN_TRACE_ID"] = invocation.xray_trace_id
        correlation_id = _correlation_id(scope, invocation)
        context_token = _request_context.set(_RequestContext(correlation_id, scope, invocation))

        correlation_header = (_CORRELATION_ID_HEADER_BYTES, correlation_id.encode("latin-1"))
        status_code = 500
        response_started = False
        recorded = False

        def record() -> None:
            nonlocal recorded
            if recorded:
                return
            recorded = True
            route = _route_template(scope) or _UNMATCHED_ROUTE
            latency_ms = (time.perf_counter() - started) * 1000
            request_metrics.record(
                f"{scope['method']} {route}",
                status_code,
                latency_ms,
                in_lambda=invocation is not None,
            )
            if invocation is not None:
                request_metrics.flush_invocation(invocation)
            if logger.log_level <= logging.DEBUG:
                logger.debug("Request completed", status_code=status_code, latency_ms=latency_ms)

        async def send_with_correlation_id(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_code = message["status"]
                message["headers"] = [*message.get("headers", ()), correlation_header]
            elif (
                invocation is not None
                and message["type"] == "http.response.body"
                and not message.get("more_body", False)
            ):
                record()  # before the response ends, while the process surely still runs
            await send(message)
{% else %}
        started = time.perf_counter()
        lambda_context: LambdaContext | None = scope.get("aws.context")
        correlation_id = _correlation_id(scope, lambda_context)
        context_token = _request_context.set(_RequestContext(correlation_id, scope))

        correlation_header = (_CORRELATION_ID_HEADER_BYTES, correlation_id.encode("latin-1"))
        status_code = 500
        response_started = False

        async def send_with_correlation_id(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_code = message["status"]
                message["headers"] = [*message.get("headers", ()), correlation_header]
            await send(message)
{% endif %}

        try:
            await self.app(scope, receive, send_with_correlation_id)
        except Exception:
            status_code = 500
            logger.exception("Unhandled exception")
            if response_started:
                raise  # too late for a 500: let the server abort the response
            await _send_internal_server_error(send_with_correlation_id, correlation_id)
        finally:
{% if compute_type.function_url %}
            record()
{% else %}
            route = _route_template(scope) or _UNMATCHED_ROUTE
            latency_ms = (time.perf_counter() - started) * 1000
            request_metrics.record(
                f"{scope['method']} {route}",
                status_code,
                latency_ms,
                in_lambda=lambda_context is not None,
            )
            if logger.log_level <= logging.DEBUG:
                logger.debug("Request completed", status_code=status_code, latency_ms=latency_ms)
{% endif %}
            _request_context.reset(context_token)


async def _send_internal_server_error(send: Send, correlation_id: str) -> None:
    body = json.dumps(
        {"detail": "Internal Server Error", "correlation_id": correlation_id}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


# ---------------------------------------------------------------------------------------
# Application
# ---------------------------------------------------------------------------------------


def _operation_id(route: APIRoute) -> str:
    """Use the route function's name as the OpenAPI operationId (e.g. ``get_item``)."""
    return route.name


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield
{% if compute_type.function_url %}
    # uvicorn shutting down: publish buffered metrics.
{% else %}
    # Long-running servers only (Mangum runs without lifespan): publish buffered metrics.
{% endif %}
    request_metrics.flush()
    if metrics.metric_set:
        metrics.flush_metrics()


app = FastAPI(
    title="{{ class_name }}",
    generate_unique_id_function=_operation_id,
    lifespan=_lifespan,
)

logger.registered_handler.addFilter(_RequestLogContext())
app.add_middleware(ObservabilityMiddleware)

# Added last so it is outermost: even the safe 500 carries the CORS headers.
if allowed_origins := [o.strip() for o in os.getenv("ALLOWED_ORIGINS", "").split(",") if o.strip()]:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=allowed_origins,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=[CORRELATION_ID_HEADER],
    )
{% if not compute_type.function_url %}


# ---------------------------------------------------------------------------------------
# AWS Lambda entry point
# ---------------------------------------------------------------------------------------

_asgi_handler = Mangum(app, lifespan="off")


{% if compute_type.http %}
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
{% else %}
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
{% endif %}
@metrics.log_metrics(capture_cold_start_metric=True)
# Responses may be large or sensitive, so they are not copied into the X-Ray trace.
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Handle an API Gateway {% if compute_type.http %}HTTP API (payload v2){% else %}REST API (payload v1){% endif %} event."""
    return _asgi_handler(event, context)
{% endif %}
