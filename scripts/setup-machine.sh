#!/usr/bin/env bash
# Brings a fresh machine of this kind to the point where stack can run and be tested: the Docker
# engine (Debian's docker.io, started in the background when it is not answering), Debian's static
# busybox (test and example images are built FROM scratch with it: no registry is reachable), a
# local registry for the image tests, and the Node packages. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

need_apt=()
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
# The image tests pull and push against a real registry (the distribution v2 server), one of its
# instances behind htpasswd basic auth (htpasswd -B makes the bcrypt entries).
command -v docker-registry >/dev/null 2>&1 || need_apt+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_apt+=(apache2-utils)
# ldd exits non-zero for a static binary, so read its words rather than its status.
busybox_kind=$( { ldd /bin/busybox 2>&1 || true; } )
if [ ! -x /bin/busybox ] || [[ "$busybox_kind" != *"not a dynamic"* ]]; then
  need_apt+=(busybox-static)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! timeout 5 docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /tmp/stack-dockerd.log)"
  nohup dockerd >/tmp/stack-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    timeout 5 docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! timeout 5 docker info >/dev/null 2>&1; then
    log "dockerd did not start; its log:"
    tail -n 40 /tmp/stack-dockerd.log
    exit 1
  fi
fi
log "engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing Node packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
