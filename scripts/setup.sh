#!/usr/bin/env bash
# Installs what the tests need beyond NuGet. Idempotent; each part lives in its own marked block.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# --- onnxruntime ---
"$root/scripts/setup-onnxruntime.sh"
# --- end onnxruntime ---

# --- node test clients ---
if [ -f "$root/tests/node/package-lock.json" ] && [ ! -d "$root/tests/node/node_modules/onnxruntime-node" ]; then
  (cd "$root/tests/node" && npm ci --ignore-scripts --no-audit --no-fund --silent)
fi
# --- end node test clients ---
