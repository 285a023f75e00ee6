#!/usr/bin/python3
"""Generates PadKernel's benchmark models: one seeded random-weight Llama-architecture configuration per size, written
as the same weights in several formats.

    tools/benchmodels/make.py --size medium --format onnx-int4
    tools/benchmodels/make.py --size small --format all

Sizes: tiny (the committed test fixtures), small (stories110M's shape), medium (Qwen2.5-0.5B's body, Llama 2's
vocabulary). Formats: llama2c (checkpoint + tokenizer.bin), onnx-fp32 and onnx-int4 (ONNX Runtime GenAI folders shaped
like GenAI's model builder output). A folder goes to ~/.cache/padkernel/benchmodels/<size>/<format> (or --root / --into),
is written beside it first and renamed when complete, and every file's sha256 is checked against SHA256SUMS next to
this script: the same command writes the same bytes. docs/benchmark-models.md lists the configurations.

Needs Debian's python3-numpy and, for the ONNX formats, python3-onnx (``apt-get install -y python3-numpy python3-onnx``).
"""

import argparse
import hashlib
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SUMS = os.path.join(HERE, "SHA256SUMS")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the repository

import weights  # noqa: E402

FORMATS = ["llama2c", "onnx-fp32", "onnx-int4"]


def write(spec, fmt, folder):
    if fmt == "llama2c":
        import llama2c
        llama2c.write(spec, folder, REPO)
    else:
        try:
            import genai
        except ImportError as e:
            raise SystemExit(f"make.py: {e}; the ONNX formats need Debian's python3-onnx: apt-get install -y python3-onnx") from e
        genai.write(spec, folder, REPO, int4=fmt == "onnx-int4")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def read_sums():
    sums = {}
    if os.path.exists(SUMS):
        with open(SUMS, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    digest, name = line.split(None, 1)
                    sums[name.strip()] = digest
    return sums


def write_sums(sums):
    with open(SUMS, "w", encoding="utf-8") as f:
        f.write("# sha256 of every file tools/benchmodels/make.py writes, as <size>/<format>/<file>; --record rewrites it.\n")
        for name in sorted(sums):
            f.write(f"{sums[name]}  {name}\n")


def folder_sums(spec, fmt, folder):
    return {f"{spec.size}/{fmt}/{name}": sha256(os.path.join(folder, name)) for name in sorted(os.listdir(folder))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", required=True, choices=sorted(weights.SPECS))
    parser.add_argument("--format", required=True, choices=FORMATS + ["all"])
    parser.add_argument("--root", default=os.path.join(os.path.expanduser("~"), ".cache", "padkernel", "benchmodels"),
                        help="cache folder; a model goes to <root>/<size>/<format> (default: %(default)s)")
    parser.add_argument("--into", help="write the one --format into exactly this folder instead")
    parser.add_argument("--force", action="store_true", help="regenerate even when the folder already matches SHA256SUMS")
    parser.add_argument("--record", action="store_true", help="record the written files' sha256 in SHA256SUMS instead of checking them")
    args = parser.parse_args()
    if args.into and args.format == "all":
        parser.error("--into names one folder: give one --format")

    spec = weights.SPECS[args.size]
    recorded = read_sums()
    failed = False
    for fmt in FORMATS if args.format == "all" else [args.format]:
        folder = os.path.abspath(args.into or os.path.join(args.root, spec.size, fmt))
        expected = {k: v for k, v in recorded.items() if k.startswith(f"{spec.size}/{fmt}/")}
        if not args.force and not args.record and expected and os.path.isdir(folder) and folder_sums(spec, fmt, folder) == expected:
            print(f"{spec.size}/{fmt}: {folder} is up to date")
            continue

        partial = folder + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        started = time.monotonic()
        write(spec, fmt, partial)
        seconds = time.monotonic() - started
        sums = folder_sums(spec, fmt, partial)
        if os.path.isdir(folder):
            shutil.rmtree(folder)
        os.replace(partial, folder)
        size = sum(os.path.getsize(os.path.join(folder, name)) for name in os.listdir(folder))
        print(f"{spec.size}/{fmt}: {folder} ({size / 1e6:.1f} MB, {seconds:.0f} s)")
        for name, digest in sums.items():
            print(f"  {digest}  {name}")
        if args.record:
            recorded = {k: v for k, v in recorded.items() if not k.startswith(f"{spec.size}/{fmt}/")}
            recorded.update(sums)
            write_sums(recorded)
        elif expected and sums != expected:
            print(f"make.py: {spec.size}/{fmt} differs from SHA256SUMS: the generator changed or is not deterministic here", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
