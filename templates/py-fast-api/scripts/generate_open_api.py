"""Write the OpenAPI spec of {{ class_name }}.

Usage (from the project directory): uv run python scripts/generate_open_api.py <out.json>
"""

import json
import re
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from {{ module }}.main import app

# `{name:path}` matches the rest of the path in FastAPI; API Gateway's greedy
# `{name+}` does the same. Other converters (`:int`, …) are plain parameters there.
_CONVERTER = re.compile(r"\{(\w+):(\w+)\}")


def api_gateway_path(path: str) -> str:
    """The API Gateway route of a FastAPI path: `/files/{name:path}` -> `/files/{name+}`."""
    return _CONVERTER.sub(lambda m: "{" + m[1] + ("+}" if m[2] == "path" else "}"), path)


def openapi(application: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI spec, each operation whose API Gateway route differs
    from its OpenAPI path marked with `x-api-gateway-path` (the CDK metadata reads it)."""
    spec = application.openapi()
    for route in application.routes:
        if not isinstance(route, APIRoute) or api_gateway_path(route.path) == route.path_format:
            continue
        for method in route.methods:
            operation = spec["paths"][route.path_format].get(method.lower())
            if operation is not None:
                operation["x-api-gateway-path"] = api_gateway_path(route.path)
    return spec


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} <output.json>", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(openapi(app), indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
