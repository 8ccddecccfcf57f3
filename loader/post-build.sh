#!/bin/sh
# Trunk's post_build hook (Trunk.toml): writes dist/deskform.js, the stable loader, with the
# hashed names of this build's widget files, and takes Trunk's inline start-up script out of
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

js=$(one 'deskform-widget-*[0-9a-f].js')
[ -n "$js" ] || exit 0 # not the widget's build
wasm=$(one 'deskform-widget-*_bg.wasm')
css=$(one 'deskform-[0-9a-f]*[0-9a-f].css')
for name in "$wasm" "$css"; do
  [ -n "$name" ] || { echo "post-build: the widget's wasm or stylesheet is missing in $staging" >&2; exit 1; }
done

# The file names filled in; comment lines (`//`, `/** … */`) and indentation left out, as
# every visitor downloads this file (the source, loader/deskform.js, keeps them).
sed -e "s/@DESKFORM_JS@/$js/" -e "s/@DESKFORM_WASM@/$wasm/" -e "s/@DESKFORM_CSS@/$css/" \
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
