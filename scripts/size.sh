#!/usr/bin/env bash
# Prints the raw and gzipped size of the WebAssembly module and its JS glue, plus any
# extra files or folders given (e.g. `scripts/size.sh www/dist`), and their total.
# Budget: the .wasm at most 700 KB gzipped; the whole first page load under 1 MB.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BUDGET=$((700 * 1024))

files=(pkg/pyvet_bg.wasm pkg/pyvet_bindgen.js pkg/pyvet.js)
for extra in "$@"; do
  if [[ -d "$extra" ]]; then
    while IFS= read -r -d '' file; do files+=("$file"); done \
      < <(find "$extra" -type f ! -name '*.map' -print0 | sort -z)
  else
    files+=("$extra")
  fi
done

total_raw=0
total_gzip=0
printf '%-40s %12s %12s\n' file raw gzip
for file in "${files[@]}"; do
  if [[ ! -f "$file" ]]; then
    echo "size.sh: $file not found (run scripts/build-wasm.sh first?)" >&2
    exit 1
  fi
  raw=$(wc -c <"$file")
  gzip=$(gzip -9 -c "$file" | wc -c)
  total_raw=$((total_raw + raw))
  total_gzip=$((total_gzip + gzip))
  printf '%-40s %12s %12s\n' "$file" "$raw" "$gzip"
  if [[ "$file" == pkg/pyvet_bg.wasm ]]; then wasm_gzip=$gzip; fi
done
printf '%-40s %12s %12s\n' total "$total_raw" "$total_gzip"

if ((wasm_gzip > WASM_BUDGET)); then
  echo "size.sh: pkg/pyvet_bg.wasm is $wasm_gzip bytes gzipped, over the $WASM_BUDGET budget" >&2
  exit 1
fi

# The first page load of the built site: what the playground fetches before it can analyse
# (the page, its scripts, the analyser's worker, styles, the docs, the module, the manifest and
# the icon).
if [[ -f www/dist/index.html ]]; then
  PAGE_BUDGET=$((1000 * 1024))
  page_gzip=0
  for file in index.html theme.js app.js analysis-worker.js styles.css docs.json pyvet_bg.wasm manifest.webmanifest icon.svg; do
    page_gzip=$((page_gzip + $(gzip -9 -c "www/dist/$file" | wc -c)))
  done
  printf '%-40s %12s %12s\n' "first page load (www/dist)" "" "$page_gzip"
  if ((page_gzip > PAGE_BUDGET)); then
    echo "size.sh: the first page load is $page_gzip bytes gzipped, over the $PAGE_BUDGET budget" >&2
    exit 1
  fi
fi
