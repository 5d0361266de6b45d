#!/usr/bin/env bash
# The dev-loop example in one command, from anywhere: builds stack and the example image if
# needed (from the machine's static busybox: no registry), then runs `stack watch` on the example.
# Ctrl-C stops watching; `node dist/stack.cjs -f examples/dev-loop/compose.yaml down` removes it all.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/stack.cjs ] || npm run build --silent
if ! docker image inspect stack-example/busybox:latest >/dev/null 2>&1; then
  context=$(mktemp -d)
  cp /bin/busybox examples/dev-loop/Dockerfile "$context/"
  docker build -q -t stack-example/busybox:latest "$context" >/dev/null
  rm -rf "$context"
fi
echo "bind mount:  http://127.0.0.1:8081/  (edit examples/dev-loop/site/index.html)"
echo "sync:        http://127.0.0.1:8082/  (edit examples/dev-loop/synced/index.html)"
echo "spec reload: edit examples/dev-loop/compose.yaml (GREETING, or uncomment worker)"
exec node dist/stack.cjs -f examples/dev-loop/compose.yaml watch
