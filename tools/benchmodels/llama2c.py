"""Writes a model as a llama2.c checkpoint (legacy format, version 0, as run.c reads it) and its tokenizer.bin.

Checkpoint: seven little-endian int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a positive
vocab_size means the classifier is the token embedding), then float32 tensors in run.c's order: token embedding,
attention RMSNorm weights, wq, wk, wv, wo, FFN RMSNorm weights, w1, w2, w3, final RMSNorm weight, the RoPE cos and sin
tables (run.c skips them, the format keeps them). Tensors are written one at a time, as they are drawn.
"""

import json
import os
import shutil
import struct

import numpy as np

import weights


def write_checkpoint(spec, path):
    with open(path, "wb") as f:
        f.write(struct.pack("<7i", spec.dim, spec.hidden_dim, spec.layers, spec.heads, spec.kv_heads, spec.vocab, spec.seq_len))

        def put(array):
            f.write(np.ascontiguousarray(array, dtype="<f4").tobytes())

        put(weights.embedding(spec))
        for name in weights.LAYER_TENSORS:
            for layer in range(spec.layers):
                put(weights.layer_tensor(spec, name, layer))
        put(weights.final_norm(spec))
        cos, sin = weights.rope_tables(spec)
        put(cos)
        put(sin)


def llama2c_tokenizer_from_json(tokenizer_json):
    """Derives llama2.c's tokenizer.bin from a SentencePiece-BPE tokenizer.json (Llama 2's), as llama2.c's tokenizer.py
    derives it from tokenizer.model: pieces by id with '▁' as a space, BOS/EOS written as '\\n<s>\\n' / '\\n</s>\\n'.

    tokenizer.json carries merges, not SentencePiece's scores. run.c merges the adjacent pair whose merged piece scores
    highest; Hugging Face merges the pair of lowest merge rank. A piece's score is therefore minus the rank of the first
    merge that produces it, which makes both orders the same; pieces no merge produces (control, byte and single
    characters) are never merge results and get 0, as SentencePiece gives control and byte pieces.
    """
    with open(tokenizer_json, encoding="utf-8") as f:
        model = json.load(f)["model"]
    if model.get("type") != "BPE":
        raise SystemExit(f"{tokenizer_json}: expected a BPE tokenizer.json, found {model.get('type')}")
    vocab = model["vocab"]
    pieces = [None] * len(vocab)
    for piece, token_id in vocab.items():
        pieces[token_id] = piece
    rank = {}
    for r, merge in enumerate(model["merges"]):
        left, right = merge if isinstance(merge, list) else merge.split(" ", 1)
        rank.setdefault(left + right, r)

    tokens, scores = [], []
    for token_id, piece in enumerate(pieces):
        if piece is None:
            raise SystemExit(f"{tokenizer_json}: token id {token_id} has no piece")
        score = -float(rank[piece]) if piece in rank else 0.0
        text = "\n<s>\n" if token_id == weights.BOS_ID else "\n</s>\n" if token_id == weights.EOS_ID else piece
        # Llama 2's tokenizer.json has one empty piece (id 31353); run.c cannot read a zero-length piece, and prints
        # nothing for a NUL byte.
        tokens.append(text.replace("\u2581", " ").encode("utf-8") or b"\0")
        scores.append(score)

    out = bytearray(struct.pack("<I", max(len(t) for t in tokens)))
    for token, score in zip(tokens, scores):
        out += struct.pack("<fI", score, len(token)) + token
    return bytes(out)


def write(spec, folder, repo):
    os.makedirs(folder, exist_ok=True)
    write_checkpoint(spec, os.path.join(folder, "model.bin"))
    tokenizer = os.path.join(folder, "tokenizer.bin")
    if spec.tokenizer == "stories512":
        shutil.copyfile(os.path.join(repo, weights.STORIES_TOKENIZER_BIN), tokenizer)
    else:
        data = llama2c_tokenizer_from_json(os.path.join(repo, weights.LLAMA2_TOKENIZER_JSON, "tokenizer.json"))
        with open(tokenizer, "wb") as f:
            f.write(data)
