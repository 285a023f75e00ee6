#!/usr/bin/python3
"""Exports a llama2.c stories260K-architecture checkpoint to an ONNX Runtime GenAI folder.

The folder matches tests/fixtures/models/stories260K-onnx: opset 17, fp32, int64 input_ids / attention_mask / position_ids,
split KV cache ``past_key_values.%d.key/value`` [batch, kv_heads, past, head_size] -> ``present.%d.key/value``, logits
[batch, sequence, vocab], the same genai_config.json layout, and the tokenizer files copied from the given folder.

    /usr/bin/python3 tools/persrm/export_onnx.py --checkpoint models/stories260K-persrm/stories260K-persrm.bin \\
        --tokenizer-from tests/fixtures/models/stories260K-onnx --out models/stories260K-persrm-onnx
"""

import argparse
import json
import math
import os
import shutil
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import Checkpoint, Llama  # noqa: E402


class CachedLlama(torch.nn.Module):
    """The same network as train.Llama, with positions, an attention mask and a KV cache as ONNX Runtime GenAI feeds them."""

    def __init__(self, llama):
        super().__init__()
        self.llama = llama

    def forward(self, input_ids, attention_mask, position_ids, *past):
        m = self.llama
        c, p = m.c, m.p
        b, s = input_ids.shape
        heads, kv_heads = c["heads"], c["kv_heads"]
        head = c["dim"] // heads
        cos, sin = m.cos[position_ids][:, :, None, :], m.sin[position_ids][:, :, None, :]

        def rope(x):
            x0, x1 = x[..., 0::2], x[..., 1::2]
            return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).flatten(-2)

        total = attention_mask.shape[1]
        offset = total - s
        keys = torch.arange(total)[None, :]
        queries = torch.arange(s)[:, None] + offset
        allowed = (keys <= queries)[None, None, :, :] & (attention_mask[:, None, None, :] > 0)
        bias = torch.where(allowed, torch.zeros(()), torch.full((), -1e9))

        # One transposed embedding serves the lookup and the tied classifier, so the file holds it once.
        emb_t = p["emb"].T
        x = emb_t[:, input_ids].permute(1, 2, 0)
        presents = []
        for layer in range(c["layers"]):
            h = m.rms(x, p["rms_att"][layer])
            q = rope((h @ p["wq"][layer].T).view(b, s, heads, head)).transpose(1, 2)
            k = rope((h @ p["wk"][layer].T).view(b, s, kv_heads, head)).transpose(1, 2)
            v = (h @ p["wv"][layer].T).view(b, s, kv_heads, head).transpose(1, 2)
            k = torch.cat([past[2 * layer], k], dim=2)
            v = torch.cat([past[2 * layer + 1], v], dim=2)
            presents += [k, v]
            # expand + flatten rather than repeat_interleave, which the exporter fixes to the traced shapes.
            kr = k.unsqueeze(2).expand(-1, -1, heads // kv_heads, -1, -1).flatten(1, 2)
            vr = v.unsqueeze(2).expand(-1, -1, heads // kv_heads, -1, -1).flatten(1, 2)
            att = (q @ kr.transpose(2, 3)) / math.sqrt(head) + bias
            out = (att.softmax(-1) @ vr).transpose(1, 2).reshape(b, s, c["dim"])
            x = x + out @ p["wo"][layer].T
            h = m.rms(x, p["rms_ffn"][layer])
            x = x + (F.silu(h @ p["w1"][layer].T) * (h @ p["w3"][layer].T)) @ p["w2"][layer].T
        logits = m.rms(x, p["rms_final"]) @ emb_t
        return (logits, *presents)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--tokenizer-from", required=True, help="a GenAI folder of the same tokenizer (tokenizer.json, tokenizer_config.json, genai_config.json)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    torch.manual_seed(0)
    checkpoint = Checkpoint(args.checkpoint)
    c = checkpoint.config
    model = CachedLlama(Llama(checkpoint).eval()).eval()
    head = c["dim"] // c["heads"]
    past = []
    for _ in range(c["layers"]):
        past += [torch.zeros(1, c["kv_heads"], 2, head), torch.zeros(1, c["kv_heads"], 2, head)]
    ids = torch.tensor([[1, 403, 407]], dtype=torch.int64)
    mask = torch.ones(1, 5, dtype=torch.int64)
    positions = torch.tensor([[2, 3, 4]], dtype=torch.int64)
    past_names = [f"past_key_values.{i}.{kind}" for i in range(c["layers"]) for kind in ("key", "value")]
    present_names = [f"present.{i}.{kind}" for i in range(c["layers"]) for kind in ("key", "value")]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    axes.update({n: {0: "batch_size", 2: "past_sequence_length"} for n in past_names})
    axes.update({n: {0: "batch_size", 2: "total_sequence_length"} for n in present_names})

    os.makedirs(args.out, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(model, (ids, mask, positions, *past), os.path.join(args.out, "model.onnx"),
                          input_names=["input_ids", "attention_mask", "position_ids", *past_names],
                          output_names=["logits", *present_names], dynamic_axes=axes, opset_version=17,
                          do_constant_folding=True)
    for name in ("genai_config.json", "tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(args.tokenizer_from, name), os.path.join(args.out, name))
    with open(os.path.join(args.out, "genai_config.json")) as f:
        config = json.load(f)
    decoder = config["model"]["decoder"]
    if (decoder["hidden_size"], decoder["num_hidden_layers"], config["model"]["vocab_size"]) != (c["dim"], c["layers"], c["vocab"]):
        sys.exit("the tokenizer folder's genai_config.json describes another architecture")


if __name__ == "__main__":
    main()
