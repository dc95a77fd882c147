#!/usr/bin/env bash
# Front-end libraries from the npm registry (versions pinned in package.json / package-lock.json),
# copied into xingyao/static/vendor/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --silent
vendor=xingyao/static/vendor
mkdir -p "$vendor"
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/"
cp node_modules/echarts/dist/echarts.min.js "$vendor/"
cp node_modules/idb-keyval/dist/umd.js "$vendor/idb-keyval.js"  # the phone's outbox of reports made offline
touch "$vendor/.installed"
