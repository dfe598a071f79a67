#!/usr/bin/env bash
# npm run lab: registers this project's tslab kernel, trusts the lesson notebooks (their charts
# and tables then render on first open) and opens Jupyter on notebooks/: JupyterLab when a
# Python with it is found (CF_LAB_PYTHON, else the python3 on PATH, e.g. an activated venv; see
# the README), else Debian's classic notebook.
source "$(dirname "$0")/jupyter-env.sh"
"$PYTHON" -m nbformat.sign --log-level=WARN notebooks/*.ipynb
args=()
# Jupyter refuses to start as root unless told to; containers often run as root.
[ "$(id -u)" = 0 ] && args+=(--allow-root)
for candidate in "${CF_LAB_PYTHON:-}" "$(command -v python3 || true)" "$PYTHON"; do
  if [ -n "$candidate" ] && "$candidate" -c "import jupyterlab" 2>/dev/null; then
    exec "$candidate" -m jupyterlab --notebook-dir=notebooks "${args[@]}" "$@"
  fi
done
echo "JupyterLab not found (see the README): opening the classic notebook" >&2
exec "$PYTHON" -m notebook --notebook-dir=notebooks "${args[@]}" "$@"
