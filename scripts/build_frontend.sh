#!/usr/bin/env bash
# Rebuild static/govuk from GOV.UK Frontend (npm), with Arial and no crown.
# The output is committed, so `make demo` and production never need npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here/frontend"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --ignore-scripts; else npm install --no-audit --no-fund --ignore-scripts; fi

out="$root/static/govuk"
rm -rf "$out"
mkdir -p "$out/assets"
npx sass --no-source-map --style=compressed --load-path=node_modules main.scss "$out/govuk-frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/"
# Only the images the CSS refers to: no GDS Transport fonts, no crown icons or favicons.
for url in $(grep -o 'url("/static/govuk/assets/[^"]*")' "$out/govuk-frontend.min.css" | sed -E 's/url\("\/static\/govuk\/assets\/([^"]*)"\)/\1/' | sort -u); do
  mkdir -p "$out/assets/$(dirname "$url")"
  cp "node_modules/govuk-frontend/dist/govuk/assets/$url" "$out/assets/$url"
done

if grep -q "GDS Transport" "$out/govuk-frontend.min.css"; then
  echo "build_frontend: GDS Transport found in the CSS" >&2; exit 1
fi
# Every url() in the CSS must point at a file we ship.
missing=0
for url in $(grep -o 'url([^)]*)' "$out/govuk-frontend.min.css" | sed -E 's/url\("?([^")]*)"?\)/\1/' | sort -u); do
  case "$url" in data:*) continue ;; esac
  file="$root/static/${url#/static/}"
  if [ ! -f "$file" ]; then echo "build_frontend: missing $url" >&2; missing=1; fi
done
[ "$missing" = 0 ] || exit 1

{
  echo "govuk-frontend $(node -p 'require("govuk-frontend/package.json").version')"
  echo "sass $(npx sass --version)"
  echo "built $(date -u +%F) by scripts/build_frontend.sh (Arial, no GDS Transport, no crown)"
} > "$out/VERSIONS.txt"
cat "$out/VERSIONS.txt"
