#!/bin/sh
# Trunk's post_build hook (Trunk.toml): writes dist/deskform.js, the stable loader, with the
# hashed names of this build's widget files (both builds), and takes Trunk's inline start-up script out of
# the page (the page loads deskform.js instead: no inline script, so a strict CSP holds).
# Trunk gives the hook TRUNK_STAGING_DIR (the build, before it becomes dist/). A build
# without the widget (the floor app) is left alone.
set -eu
staging=${TRUNK_STAGING_DIR:?run by trunk build}

one() {
  # The single file of the staging dir matching a pattern, by name.
  found=$(cd "$staging" && ls -1 $1 2>/dev/null || true)
  case $found in
    "") return 0 ;;
    *"
"*) echo "post-build: more than one $1 in $staging: $found" >&2; exit 1 ;;
  esac
  printf '%s' "$found"
}

# The lean build: Trunk's main app, with hashed names.
js=$(one 'deskform-widget-[0-9a-f]*[0-9a-f].js')
[ -n "$js" ] || exit 0 # not the widget's build
wasm=$(one 'deskform-widget-[0-9a-f]*[0-9a-f]_bg.wasm')
css=$(one 'deskform-[0-9a-f]*[0-9a-f].css')
# The full build: Trunk builds it as a "worker", whose names it does not hash. Hash them here
# (a CDN may cache them for ever, as it does the lean build's).
full_js=$(one 'deskform-widget-full.js')
full_wasm=$(one 'deskform-widget-full_bg.wasm')
for name in "$wasm" "$css" "$full_js" "$full_wasm"; do
  [ -n "$name" ] || { echo "post-build: a widget file (wasm, glue or stylesheet) is missing in $staging" >&2; exit 1; }
done
hash=$(cat "$staging/$full_js" "$staging/$full_wasm" | sha256sum | cut -c1-16)
sed "s/deskform-widget-full_bg\.wasm/deskform-widget-full-${hash}_bg.wasm/g" "$staging/$full_js" \
  > "$staging/deskform-widget-full-$hash.js"
rm "$staging/$full_js"
mv "$staging/$full_wasm" "$staging/deskform-widget-full-${hash}_bg.wasm"
full_js=deskform-widget-full-$hash.js
full_wasm=deskform-widget-full-${hash}_bg.wasm

# The file names filled in; comment lines (`//`, `/** … */`) and indentation left out, as
# every visitor downloads this file (the source, loader/deskform.js, keeps them).
sed -e "s/@DESKFORM_JS@/$js/" -e "s/@DESKFORM_WASM@/$wasm/" -e "s/@DESKFORM_CSS@/$css/" \
  -e "s/@DESKFORM_FULL_JS@/$full_js/" -e "s/@DESKFORM_FULL_WASM@/$full_wasm/" \
  -e '/^[[:space:]]*\/\//d' -e '/^[[:space:]]*\/\*\*/d' -e '/^[[:space:]]*\*/d' \
  -e 's/^[[:space:]]*//' -e '/^$/d' \
  "$(dirname "$0")/deskform.js" > "$staging/deskform.js"
if grep -q '@DESKFORM_' "$staging/deskform.js"; then
  echo "post-build: a file name was not filled in deskform.js" >&2
  exit 1
fi

page="$staging/index.html"
if [ -f "$page" ]; then
  # Trunk's initializer: `<script type="module">` … `TrunkApplicationStarted` … `</script>`.
  awk '
    /^<script type="module">$/ { held = $0 "\n"; holding = 1; next }
    holding { held = held $0 "\n"; if ($0 == "</script>") { holding = 0; if (held !~ /TrunkApplicationStarted/) printf "%s", held }; next }
    { print }
  ' "$page" > "$page.tmp"
  mv "$page.tmp" "$page"
  if grep -q 'TrunkApplicationStarted' "$page"; then
    echo "post-build: Trunk's inline script is still in index.html" >&2
    exit 1
  fi
fi
