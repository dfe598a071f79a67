#!/usr/bin/env bash
# npm run lab: registers this project's tslab kernel and opens Jupyter on notebooks/.
source "$(dirname "$0")/jupyter-env.sh"
if "$PYTHON" -c "import jupyterlab" 2>/dev/null; then
  exec "$PYTHON" -m jupyterlab notebooks "$@"
fi
exec "$PYTHON" -m notebook --notebook-dir=notebooks "$@"
