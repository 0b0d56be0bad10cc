#!/usr/bin/env bash
# Set up (venv + dependencies) and build the demo from scratch on the embedded engine, offline:
# synthetic disclosure -> graph -> summary and HTML views, in ./demo (or the folder given).
set -euo pipefail
cd "$(dirname "$0")/.."
INFOOPS_SKIP_SYSTEM=1 bash scripts/setup.sh
.venv/bin/infoops demo "${1:-demo}"
