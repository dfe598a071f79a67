#!/usr/bin/env bash
# Export check: converts executed notebooks with a plain `jupyter nbconvert --to html` (what a
# reader would run), opens each page in headless Chromium and fails unless every chart the
# notebook holds is drawn there; full-page screenshots go to out/html/<name>.png.
# Usage: scripts/check-notebooks-html.sh [folder of executed notebooks]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${CF_JUPYTER_PYTHON:-/usr/bin/python3}"
exec "$PYTHON" "$ROOT/scripts/check_live_notebooks.py" "${1:-$ROOT/notebooks}" "${CF_HTML_OUT:-$ROOT/out/html}" --export --python "$PYTHON"
