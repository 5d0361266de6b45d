#!/usr/bin/env bash
# The main job on a fresh machine: set it up, build stack, bring up examples/hello, and show it
# answering. Run from anywhere: `bash scripts/main-job.sh`. Stop it with
# `node dist/stack.cjs -f examples/hello/compose.yaml down`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-machine.sh
npm run build --silent

# The example's image is built by `stack up` from the machine's static busybox (no registry is
# reachable here): the build context needs a copy of the binary.
[ -f examples/hello/busybox ] || cp /bin/busybox examples/hello/busybox

stack() { node dist/stack.cjs -f examples/hello/compose.yaml "$@"; }
stack up -d --wait
stack ps
printf '\nGET http://127.0.0.1:8080/ ->\n'
wget -q -O - http://127.0.0.1:8080/ 2>/dev/null || curl -fsS http://127.0.0.1:8080/
printf '\nEdit examples/hello/site/index.html and fetch again: the change is served at once.\n'
