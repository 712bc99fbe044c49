"""Application setup for {{ class_name }}.

Add your routes in ``main.py``. This module creates the FastAPI ``app`` and re-exports the
objects your routes use:

- ``logger``: Powertools Logger (JSON lines with correlation id, path, route and method).
- ``tracer``: Powertools Tracer (AWS X-Ray; a no-op outside Lambda).
- ``metrics``: Powertools Metrics (CloudWatch EMF), flushed at the end of every Lambda
  invocation.
- ``get_correlation_id()``: the correlation id of the request being handled.

Configuration comes from the usual Powertools environment variables
(``POWERTOOLS_SERVICE_NAME``, ``POWERTOOLS_METRICS_NAMESPACE``, ``POWERTOOLS_LOG_LEVEL``,
``POWERTOOLS_METRICS_DISABLED``, ``POWERTOOLS_TRACE_DISABLED``, ...), from
``ALLOWED_ORIGINS`` (comma-separated origins allowed by CORS; CORS is off when unset) and
from ``API_DOCS`` (see ``api_docs_enabled``).

The machinery lives in private modules that you should not need to edit: ``_powertools.py``
(the Powertools objects), ``_middleware.py`` (correlation id, log context, the log line and
metrics of each request, safe 500), ``_request_log.py``, ``_request_metrics.py``,
``_tracing.py`` and ``_lambda.py`` (how AWS Lambda runs the app).
"""

from __future__ import annotations

import os
{% if snap_start %}
import random
{% endif %}

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from ._lambda import lambda_invocation
from ._middleware import (
    CORRELATION_ID_HEADER,
    ObservabilityMiddleware,
    RequestLogContext,
    get_correlation_id,
)
from ._powertools import logger, metrics, tracer

__all__ = ["app", "get_correlation_id", "logger", "metrics", "tracer"]


def _operation_id(route: APIRoute) -> str:
    """Use the route function's name as the OpenAPI operationId (e.g. ``get_item``)."""
    return route.name


def api_docs_enabled() -> bool:
    """Whether the app serves its docs (``/docs``, ``/redoc``, ``/openapi.json``): outside
    Lambda (``serve``, tests), yes; in Lambda, only with ``API_DOCS=true``, since they would
    be public on an API without auth and Swagger UI loads its scripts from a CDN. The
    ``openapi`` target writes the spec either way."""
    setting = os.getenv("API_DOCS")
    if setting is not None:
        return setting.strip().lower() in {"1", "true", "yes", "on"}
    return "AWS_LAMBDA_FUNCTION_NAME" not in os.environ


# FastAPI's own settings (description, version, docs URLs, ...) go here too.
_docs = api_docs_enabled()
app = FastAPI(
    title="{{ class_name }}",
    generate_unique_id_function=_operation_id,
    openapi_url="/openapi.json" if _docs else None,
    docs_url="/docs" if _docs else None,
    redoc_url="/redoc" if _docs else None,
)

logger.registered_handler.addFilter(RequestLogContext())
app.add_middleware(ObservabilityMiddleware, lambda_invocation=lambda_invocation)

# Added last so it is outermost: even the safe 500 carries the CORS headers.
if allowed_origins := [o.strip() for o in os.getenv("ALLOWED_ORIGINS", "").split(",") if o.strip()]:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=allowed_origins,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=[CORRELATION_ID_HEADER],
    )
{% if snap_start %}

try:  # the Lambda Python runtime's SnapStart hooks; absent elsewhere
    from snapshot_restore_py import register_after_restore
except ImportError:
    pass
else:
    # Every environment restored from the snapshot starts from the same state: reseed
    # `random` (X-Ray's sampling, your code's draws) so that each draws its own numbers.
    # uuid4 and the secrets module read the OS's randomness, which is fresh in each.
    register_after_restore(random.seed)
{% endif %}
