#!/usr/bin/env bash
# Rebuild static/govuk/ from GOV.UK Frontend (npm), with Arial and no crown.
#
#   scripts/build_frontend.sh
#
# Needs node and npm (and the npm registry) only when run; its output is committed, so
# `make demo` and production never need npm. Versions are pinned exactly in
# scripts/frontend/package.json + package-lock.json; node_modules stays in
# scripts/frontend/ (git-ignored). See docs/frontend.md.
#
# Idempotent: static/govuk/ is rebuilt from scratch each time, and if nothing changed
# (same versions, same output) VERSIONS.txt keeps its date, so a re-run leaves no diff.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$here/frontend"
out="$root/static/govuk"
url_prefix="/static/govuk/assets/"   # must match $govuk-assets-path in main.scss

die() { echo "build_frontend: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is needed to rebuild (not to run the service)"
command -v npm >/dev/null || die "npm is needed to rebuild (not to run the service)"

# 1. Install the pinned packages. --ignore-scripts: nothing here needs an install
#    script; --omit=optional: sass's file watcher (@parcel/watcher) is not needed.
cd "$work"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts --omit=optional
else
  npm install --no-audit --no-fund --ignore-scripts --omit=optional --save-exact
fi
sass="$work/node_modules/.bin/sass"
dist="$work/node_modules/govuk-frontend/dist/govuk"
pkg_version() { node -p "JSON.parse(require('fs').readFileSync('node_modules/$1/package.json')).version"; }
frontend_version="$(pkg_version govuk-frontend)"
sass_version="$(pkg_version sass)"
case "$frontend_version" in 6.*) ;; *) die "expected govuk-frontend 6.x, found $frontend_version" ;; esac

# 2. Build into a scratch folder; static/govuk/ is only replaced once every check passes.
tmp="$(mktemp -d "${TMPDIR:-/tmp}/build-frontend.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
new="$tmp/govuk"
mkdir -p "$new/assets"

# CSS: GOV.UK Frontend with Arial + the service's _app.scss, compressed, no source map.
# --quiet-deps hides deprecation notices from inside govuk-frontend; warnings about
# main.scss or _app.scss are still shown.
"$sass" --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
  main.scss "$new/govuk-frontend.min.css"
css="$new/govuk-frontend.min.css"

# JS: Frontend's ES module bundle (exports initAll), used by static/app/init.js. Its
# source map is not shipped, so drop the comment pointing at it (a browser would
# request the missing .map file).
sed -e 's|//# sourceMappingURL=[^[:space:]]*||' "$dist/govuk-frontend.min.js" > "$new/govuk-frontend.min.js"
grep -q 'initAll' "$new/govuk-frontend.min.js" || die "govuk-frontend.min.js does not export initAll"

# Assets: exactly the files the CSS refers to. Not assets/fonts/ (GDS Transport), and
# not the GOV.UK favicons, app icons, manifest.json or Open Graph image: they are all
# the GOV.UK crown, which a local-authority service must not use.
css_urls() { grep -o 'url([^)]*)' "$css" | sed -E "s/^url\([\"']?//; s/[\"']?\)\$//" | sort -u; }
for url in $(css_urls); do
  case "$url" in
    data:*) ;;
    "$url_prefix"*)
      rel="${url#"$url_prefix"}"
      [ -f "$dist/assets/$rel" ] || die "the CSS refers to $url, which govuk-frontend does not ship"
      mkdir -p "$new/assets/$(dirname "$rel")"
      cp "$dist/assets/$rel" "$new/assets/$rel"
      ;;
    *) die "the CSS refers to $url, outside $url_prefix (is \$govuk-assets-path set?)" ;;
  esac
done

# 3. Checks.
if grep -q "GDS Transport" "$css"; then die "GDS Transport found in the CSS"; fi
if grep -q "@font-face" "$css"; then die "@font-face found in the CSS (no web fonts: Arial only)"; fi
if [ -d "$new/assets/fonts" ]; then die "assets/fonts/ must not be shipped"; fi
grep -q 'font-family:arial,sans-serif' "$css" || die "Arial is not the CSS's font family"
grep -q '\.app-protective-marking' "$css" || die "_app.scss is missing from the CSS"
# Every url(...) in the CSS points at a file that exists in static/govuk/assets/.
for url in $(css_urls); do
  case "$url" in data:*) continue ;; esac
  [ -f "$new/assets/${url#"$url_prefix"}" ] || die "the CSS refers to $url, which is not in static/govuk/assets/"
done

# 4. Versions. Keep the old record (and its date) if nothing else changed.
record() {
  echo "govuk-frontend $frontend_version"
  echo "sass $sass_version"
  echo "built $1 by scripts/build_frontend.sh"
  echo "Arial (no GDS Transport, no font files); no GOV.UK favicons, icons or manifest"
}
if [ -f "$out/VERSIONS.txt" ] \
  && [ "$(grep -v '^built ' "$out/VERSIONS.txt")" = "$(record x | grep -v '^built ')" ] \
  && diff -rq -x VERSIONS.txt "$new" "$out" >/dev/null 2>&1; then
  cp "$out/VERSIONS.txt" "$new/VERSIONS.txt"
else
  record "$(date -u +%F)" > "$new/VERSIONS.txt"
fi

# 5. Replace static/govuk/ with the new build.
rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -R "$new" "$out"

echo "build_frontend: static/govuk/ rebuilt"
cat "$out/VERSIONS.txt"
(cd "$root" && find static -type f -print0 | sort -z | xargs -0 ls -l | awk '{printf "%9d  %s\n", $5, $9}')
(cd "$root" && du -sh static | awk '{print "total under static/: " $1}')
