#!/usr/bin/env bash
# Installs what the tests need beyond NuGet. Idempotent; called by scripts/test.sh. Each part in its own block.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# --- onnxruntime ---
# Native ONNX Runtime for PadKernel.OnnxRuntime, from the npm package onnxruntime-node (sha256-pinned, cached in .cache/).
"$root/scripts/setup-onnxruntime.sh"
# --- end onnxruntime ---

# --- node test clients ---
# Reference implementations and real clients the .NET tests run (@huggingface/tokenizers, npm openai for the
# server tests, onnxruntime-node for the ONNX logits comparison), one shared package.json. --ignore-scripts:
# onnxruntime-node's install script downloads extra binaries, which fails here, and its CPU library is in the tarball.
if [ -f "$root/tests/node/package-lock.json" ]; then
  command -v npm >/dev/null || { echo "setup: npm is required for tests/node (install Node.js 20+)" >&2; exit 1; }
  stamp="$root/tests/node/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$root/tests/node/package-lock.json" -nt "$stamp" ]; then
    (cd "$root/tests/node" && npm ci --ignore-scripts --no-audit --no-fund)
  fi
fi
# --- end node test clients ---
