#!/usr/bin/env bash
# Installs what the tests need beyond NuGet. Idempotent; called by scripts/test.sh. Each part in its own block.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# Installs Debian packages, as root or through sudo.
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: needs $* installed: run 'apt-get install $*' as root" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$@"
}

# --- node test clients ---
# Reference implementations and real clients the .NET tests run (@huggingface/tokenizers, npm openai for the
# server tests), one shared package.json. --ignore-scripts: no package needs an install step. (Native ONNX Runtime
# GenAI comes from NuGet with the build, not from here.)
if [ -f "$root/tests/node/package-lock.json" ]; then
  command -v npm >/dev/null || { echo "setup: npm is required for tests/node (install Node.js 20+)" >&2; exit 1; }
  stamp="$root/tests/node/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$root/tests/node/package-lock.json" -nt "$stamp" ]; then
    (cd "$root/tests/node" && npm ci --ignore-scripts --no-audit --no-fund)
  fi
fi
# --- end node test clients ---

# --- postgresql ---
# Debian's PostgreSQL server for the PostgreSQL preference-store tests; scripts/test.sh starts a throwaway cluster
# from it (scripts/postgres.sh). No default cluster: the package's own "main" cluster would be a server left running.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: PostgreSQL is required: run 'apt-get install postgresql' as root" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo mkdir -p /etc/postgresql-common
  grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf \
    || echo 'create_main_cluster = false' | $sudo tee -a /etc/postgresql-common/createcluster.conf >/dev/null
  apt_install postgresql
fi
# --- end postgresql ---

# --- tmux and chromium ---
# `pad chat` is tested in a real terminal (tmux send-keys / capture-pane), the eval report is laid out and screenshotted
# in headless Chromium.
need=()
command -v tmux >/dev/null || need+=(tmux)
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  apt_install "${need[@]}"
fi
# --- end tmux and chromium ---
