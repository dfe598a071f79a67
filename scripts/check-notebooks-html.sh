#!/usr/bin/env bash
# Browser check: exports executed notebooks to HTML, opens each in headless Chromium and checks
# that every chart the notebook holds is on the page as a drawn SVG image, saving a screenshot
# beside it. Debian's nbconvert sanitises inline SVG down to its text, so the charts are
# exported as files (ExtractOutputPreprocessor) that the page shows with <img>. Usage: scripts/check-notebooks-html.sh [folder of executed notebooks]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SRC="${1:-$ROOT/notebooks}"
OUT="${CF_HTML_OUT:-$ROOT/out/html}"
PYTHON="${CF_JUPYTER_PYTHON:-/usr/bin/python3}"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser)}"
mkdir -p "$OUT"
# No network here: flags that keep Chromium from reaching out (see the machine notes).
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --virtual-time-budget=5000)
status=0
for notebook in "$SRC"/*.ipynb; do
  name="$(basename "$notebook" .ipynb)"
  expected=$("$PYTHON" -c "import json,sys; nb=json.load(open(sys.argv[1])); print(sum('image/svg+xml' in o.get('data',{}) for c in nb['cells'] for o in c.get('outputs',[])))" "$notebook")
  "$PYTHON" -m nbconvert --to html --output-dir "$OUT" \
    --HTMLExporter.preprocessors='["nbconvert.preprocessors.ExtractOutputPreprocessor"]' \
    --TemplateExporter.extra_template_basedirs="$ROOT/scripts/nbconvert" --template svg-as-img "$notebook" >/dev/null 2>&1
  "$CHROMIUM" "${flags[@]}" --dump-dom "file://$OUT/$name.html" 2>/dev/null > "$OUT/$name.dom.html"
  "$CHROMIUM" "${flags[@]}" --window-size=1280,2400 --screenshot="$OUT/$name.png" "file://$OUT/$name.html" >/dev/null 2>&1
  # A chart counts when the page holds its <img> and the SVG file it loads has Vega's marks in it.
  drawn=0
  for src in $(grep -o '<img src="[^"]*\.svg"' "$OUT/$name.dom.html" | sed 's/<img src="//; s/"$//' || true); do
    if grep -q 'class="mark-' "$OUT/$src" && grep -q '<path' "$OUT/$src"; then drawn=$((drawn + 1)); fi
  done
  if [ "$expected" -gt 0 ] && [ "$drawn" -ge "$expected" ]; then
    echo "ok   $name: $drawn of $expected charts drawn ($OUT/$name.png)"
  else
    echo "FAIL $name: $drawn of $expected charts drawn" >&2
    status=1
  fi
done
exit $status
