# Sourced by the Jupyter scripts: builds the library the notebooks import (dist/) and registers
# the tslab kernel in this project's own .jupyter/ so nothing outside the checkout changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Debian's Jupyter lives on /usr/bin/python3 (a pyenv python3 earlier on PATH would lack it).
PYTHON="${CF_JUPYTER_PYTHON:-/usr/bin/python3}"
if ! "$PYTHON" -c "import nbconvert, nbclient, ipykernel" 2>/dev/null; then
  echo "Jupyter is missing: sudo apt-get install -y jupyter-nbconvert python3-nbclient jupyter-notebook python3-ipykernel" >&2
  exit 1
fi
npm run --silent build
export JUPYTER_PATH="$ROOT/.jupyter/share/jupyter"
if [ ! -f "$JUPYTER_PATH/kernels/tslab/kernel.json" ]; then
  "$ROOT/node_modules/.bin/tslab" install --python "$PYTHON" --prefix "$ROOT/.jupyter" --binary "$ROOT/node_modules/.bin/tslab" >/dev/null
fi
