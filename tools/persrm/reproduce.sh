#!/usr/bin/env bash
# Retrains the committed PersRM from scratch and checks that the weights (and the ONNX export) are bit-identical to
# models/stories260K-persrm*. Needs Debian's python3-torch/python3-numpy (installs them with apt when missing and root).
# About 1.5 CPU-minutes of training plus candidate sampling; several minutes on a busy machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
models="$root/models"                       # stories260K (bundled)
fixtures="$root/tests/fixtures/models"      # stories260K-onnx (its tokenizer files)
if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "reproduce.sh: Debian's python3-torch and python3-numpy are needed: run 'apt-get install python3-torch python3-numpy' as root" >&2
    exit 1
  fi
  apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 "$root/tools/persrm/train.py" --base "$models/stories260K" --out "$out/stories260K-persrm"
/usr/bin/python3 "$root/tools/persrm/export_onnx.py" --checkpoint "$out/stories260K-persrm/stories260K-persrm.bin" \
  --tokenizer-from "$fixtures/stories260K-onnx" --out "$out/stories260K-persrm-onnx"
(cd "$out" && sha256sum -c "$root/models/SHA256SUMS")
