#!/usr/bin/env bash
# npm run lessons: executes every lesson notebook headless with the tslab kernel, in place
# (or into CF_LESSONS_OUT), signs each so Jupyter trusts its charts on first open, prints its
# key figures, and stops at the first failing cell with the library's own error message.
# Usage: scripts/run-lessons.sh [notebook ...]   (default: notebooks/*.ipynb)
source "$(dirname "$0")/jupyter-env.sh"
out_dir="${CF_LESSONS_OUT:-}"
[ -n "$out_dir" ] && mkdir -p "$out_dir"
notebooks=("$@")
[ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)
for notebook in "${notebooks[@]}"; do
  echo "== $notebook"
  started=$(date +%s)
  target="$notebook"
  [ -n "$out_dir" ] && target="$out_dir/$(basename "$notebook")"
  "$PYTHON" "$ROOT/scripts/run_notebook.py" "$notebook" "$target" --kernel tslab --timeout 1800
  echo "   done in $(( $(date +%s) - started )) s -> $target"
done
