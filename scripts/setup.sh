#!/usr/bin/env bash
# Installs what the tests need beyond NuGet. Idempotent; called by scripts/test.sh. Each part in its own block.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

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
