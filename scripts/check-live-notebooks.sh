#!/usr/bin/env bash
# Live-page check: serves executed notebooks with Jupyter on 127.0.0.1 (token-protected), opens
# each in headless Chromium and fails unless every chart is drawn in the live page and the
# notebook opens trusted; full-page screenshots go to out/html/<name>.live.png.
# Usage: scripts/check-live-notebooks.sh [folder of executed notebooks] [--lab]
# (--lab checks JupyterLab, from CF_LAB_PYTHON or the python3 on PATH, instead of the classic notebook.)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SRC="$ROOT/notebooks"
if [ $# -gt 0 ] && [ "$1" != --lab ]; then SRC="$1"; shift; fi
OUT="${CF_HTML_OUT:-$ROOT/out/html}"
PYTHON="${CF_JUPYTER_PYTHON:-/usr/bin/python3}"
export JUPYTER_PATH="$ROOT/.jupyter/share/jupyter"
if [ ! -f "$JUPYTER_PATH/kernels/tslab/kernel.json" ]; then
  echo "the tslab kernel is not registered in $ROOT/.jupyter: run npm run lessons first" >&2
  exit 1
fi
server_python="$PYTHON"
if [ "${1:-}" = --lab ]; then server_python="${CF_LAB_PYTHON:-$(command -v python3)}"; fi
exec "$PYTHON" "$ROOT/scripts/check_live_notebooks.py" "$SRC" "$OUT" --python "$server_python" "$@"
