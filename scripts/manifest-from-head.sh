#!/usr/bin/env bash
# Regenerates custom-elements.json from what is committed at HEAD (not from uncommitted work in the tree),
# so the committed manifest matches what CI sees in a clean clone.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=.cache/manifest-head
rm -rf "$tmp" && mkdir -p "$tmp"
git archive HEAD | tar -x -C "$tmp"
ln -s "$PWD/node_modules" "$tmp/node_modules"
(cd "$tmp" && npx custom-elements-manifest analyze --config custom-elements-manifest.config.mjs >/dev/null)
cp "$tmp/custom-elements.json" custom-elements.json
