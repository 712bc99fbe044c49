"""Write the OpenAPI spec of {{ class_name }} to the path given as the first argument.

Usage (from the project directory): uv run python scripts/generate_open_api.py <out.json>
"""

import json
import sys
from pathlib import Path

from {{ module }}.main import app


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} <output.json>", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(app.openapi(), indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
