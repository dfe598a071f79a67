#!/usr/bin/env bash
# npm run lessons: executes every lesson notebook headless with the tslab kernel, in place
# (or into CF_LESSONS_OUT), and fails on the first cell error.
source "$(dirname "$0")/jupyter-env.sh"
out_args=()
if [ -n "${CF_LESSONS_OUT:-}" ]; then
  mkdir -p "$CF_LESSONS_OUT"
  out_args=(--output-dir "$CF_LESSONS_OUT")
else
  out_args=(--inplace)
fi
for notebook in notebooks/*.ipynb; do
  echo "== $notebook"
  started=$(date +%s)
  "$PYTHON" -m nbconvert --to notebook --execute "${out_args[@]}" \
    --ExecutePreprocessor.kernel_name=tslab --ExecutePreprocessor.timeout=1800 "$notebook"
  echo "   done in $(( $(date +%s) - started )) s"
done
