#!/bin/sh
# The Lambda handler of {{ class_name }}: starts the app under uvicorn on $PORT.
#
# In AWS Lambda the Lambda Web Adapter (the LambdaAdapterLayer{{ 'Arm64' if architecture.arm64 else 'X86' }} layer, switched on by
# AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap) runs this script from the bundle, waits until
# the app answers on $PORT, then forwards each invocation of the {{ "Function URL" if compute_type.function_url else "REST API" }} to it as an
# HTTP request and streams the response back (AWS_LWA_INVOKE_MODE=response_stream).
#
# The bundle (`nx run {{ module }}:bundle`, /var/task in Lambda, read-only) holds the
# dependencies and the {{ module }} package, so it comes first on the module path, then
# the layers (/opt/python) and the runtime's own packages (boto3, which the bundle leaves
# out). The interpreter is the `python3` on PATH: the Lambda runtime's.
#
# Try it from the project directory: PORT=8080 uv run {{ offset }}/dist/{{ project_root }}/bundle/run.sh
set -eu

bundle=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
PYTHONPATH="$bundle:/opt/python/lib/python3.12/site-packages:/opt/python${LAMBDA_RUNTIME_DIR:+:$LAMBDA_RUNTIME_DIR}${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH
# The code cannot be written to: do not try to cache bytecode next to it.
export PYTHONDONTWRITEBYTECODE=1
# Write logs and metrics at once: Lambda freezes the process as soon as a response ends.
export PYTHONUNBUFFERED=1

exec python3 -m uvicorn {{ module }}.main:app \
  --host 0.0.0.0 --port "${PORT:-8080}" \
  --no-access-log --log-level warning
