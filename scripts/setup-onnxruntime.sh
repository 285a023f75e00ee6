#!/usr/bin/env bash
# Fetches the native ONNX Runtime library from the npm package onnxruntime-node (the only registry we can
# reach that ships it), verifies the tarball against a pinned sha256, and extracts just the library for this
# OS/architecture into .cache/onnxruntime/<version>/<os>-<arch>/. Idempotent: a verified copy is left alone.
set -euo pipefail

version="1.30.0"
# sha256 of onnxruntime-node-1.30.0.tgz as served by the npm registry (pinned after the first download).
expected_sha256="6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75"

root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/onnxruntime"
tarball="$cache/onnxruntime-node-$version.tgz"

case "$(uname -s)" in
  Linux) os=linux; lib=libonnxruntime.so.1 ;;
  Darwin) os=darwin; lib=libonnxruntime.1.dylib ;;
  MINGW*|MSYS*|CYGWIN*) os=win32; lib=onnxruntime.dll ;;
  *) echo "setup-onnxruntime: unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) echo "setup-onnxruntime: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

dest="$cache/$version/$os-$arch"
stamp="$dest/.verified"
if [ -f "$dest/$lib" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$expected_sha256" ]; then
  exit 0
fi

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

mkdir -p "$cache"
if [ ! -f "$tarball" ] || [ "$(sha256_of "$tarball")" != "$expected_sha256" ]; then
  rm -f "$tarball"
  command -v npm >/dev/null || { echo "setup-onnxruntime: npm is required to fetch onnxruntime-node (install Node.js 20+), or set PADKERNEL_ONNXRUNTIME_PATH to an existing ONNX Runtime library" >&2; exit 1; }
  echo "setup-onnxruntime: downloading onnxruntime-node@$version from the npm registry"
  (cd "$cache" && npm pack "onnxruntime-node@$version" --silent >/dev/null)
fi
actual=$(sha256_of "$tarball")
if [ "$actual" != "$expected_sha256" ]; then
  echo "setup-onnxruntime: sha256 mismatch for $tarball: expected $expected_sha256, got $actual" >&2
  rm -f "$tarball"
  exit 1
fi

member="package/bin/napi-v6/$os/$arch/$lib"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$tarball" -C "$tmp" "$member"
mkdir -p "$dest"
mv "$tmp/$member" "$dest/$lib"
echo "$expected_sha256" >"$stamp"
echo "setup-onnxruntime: ONNX Runtime $version ready at $dest/$lib"
