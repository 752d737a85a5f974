#!/usr/bin/env bash
# Prints the raw, gzipped and brotli-compressed size of the WebAssembly module and its JS
# glue, plus any extra files or folders given (e.g. `scripts/size.sh www/dist`), and their
# total. Brotli (quality 11) is what scripts/serve.mjs sends to browsers that accept it.
# Budget: the .wasm at most 700 KB gzipped; the whole first page load under 1 MB gzipped.
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

# Bytes after brotli at quality 11, as scripts/serve.mjs compresses.
brotli_size() {
  node -e 'const z = require("node:zlib"); const b = require("node:fs").readFileSync(process.argv[1]);
    console.log(z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11, [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length)' "$1"
}

total_raw=0
total_gzip=0
total_br=0
printf '%-40s %12s %12s %12s\n' file raw gzip brotli
for file in "${files[@]}"; do
  if [[ ! -f "$file" ]]; then
    echo "size.sh: $file not found (run scripts/build-wasm.sh first?)" >&2
    exit 1
  fi
  raw=$(wc -c <"$file")
  gzip=$(gzip -9 -c "$file" | wc -c)
  br=$(brotli_size "$file")
  total_raw=$((total_raw + raw))
  total_gzip=$((total_gzip + gzip))
  total_br=$((total_br + br))
  printf '%-40s %12s %12s %12s\n' "$file" "$raw" "$gzip" "$br"
  if [[ "$file" == pkg/pyvet_bg.wasm ]]; then wasm_gzip=$gzip; fi
done
printf '%-40s %12s %12s %12s\n' total "$total_raw" "$total_gzip" "$total_br"

if ((wasm_gzip > WASM_BUDGET)); then
  echo "size.sh: pkg/pyvet_bg.wasm is $wasm_gzip bytes gzipped, over the $WASM_BUDGET budget" >&2
  exit 1
fi

# The first page load of the built site: what the playground fetches before it can analyse
# (the page, its scripts, the update check, the analyser's worker, styles, the docs, the module, the manifest and
# the icon).
if [[ -f www/dist/index.html ]]; then
  PAGE_BUDGET=$((1000 * 1024))
  page_raw=0
  page_gzip=0
  page_br=0
  for file in index.html theme.js app.js updates.js analysis-worker.js styles.css docs.json pyvet_bg.wasm manifest.webmanifest icon.svg; do
    page_raw=$((page_raw + $(wc -c <"www/dist/$file")))
    page_gzip=$((page_gzip + $(gzip -9 -c "www/dist/$file" | wc -c)))
    page_br=$((page_br + $(brotli_size "www/dist/$file")))
  done
  printf '%-40s %12s %12s %12s\n' "first page load (www/dist)" "$page_raw" "$page_gzip" "$page_br"
  if ((page_gzip > PAGE_BUDGET)); then
    echo "size.sh: the first page load is $page_gzip bytes gzipped, over the $PAGE_BUDGET budget" >&2
    exit 1
  fi
fi
