"""The benchmark models' configurations and their seeded random weights.

One configuration, one seed: every tensor is a pure function of (seed, tensor name, layer), drawn from a counter-based
hash (SplitMix64) rather than a stateful generator, so any tensor can be regenerated on its own, in any order, without
holding the others in memory, and the values do not depend on the numpy version. Tensors are in llama2.c's orientation
(a weight matrix is [out, in]); the writers of the other formats transpose or permute them, never redraw them.
"""

import hashlib
import math
from dataclasses import dataclass

import numpy as np

# The models' tokenizers, relative to the repository root.
STORIES_TOKENIZER_JSON = "tests/fixtures/models/stories260K-onnx"  # tokenizer.json + tokenizer_config.json, vocab 512
STORIES_TOKENIZER_BIN = "models/stories260K/tok512.bin"
LLAMA2_TOKENIZER_JSON = "tests/fixtures/models/ort-tiny-random-llama-fp16"  # Llama 2's 32,000-token tokenizer.json

BOS_ID = 1
EOS_ID = 2
RMS_EPSILON = 1e-5  # llama2.c's run.c hard-codes it
ROPE_THETA = 10000.0  # llama2.c's run.c hard-codes it


@dataclass(frozen=True)
class ModelSpec:
    """A Llama-architecture configuration (SwiGLU FFN, RMSNorm, RoPE, grouped-query attention, tied embeddings)."""

    size: str
    dim: int
    hidden_dim: int
    layers: int
    heads: int
    kv_heads: int
    vocab: int
    seq_len: int
    tokenizer: str  # "stories512" or "llama2"
    seed: int = 20261203

    @property
    def head_size(self):
        return self.dim // self.heads

    @property
    def kv_dim(self):
        return self.kv_heads * self.head_size

    def parameter_count(self):
        per_layer = 2 * self.dim + 2 * self.dim * self.dim + 2 * self.dim * self.kv_dim + 3 * self.dim * self.hidden_dim
        return self.vocab * self.dim + self.layers * per_layer + self.dim


SPECS = {
    # Test fixture: every block of the builder's graph (two layers so the SkipSimplifiedLayerNormalization chain runs
    # between layers, 2 query heads sharing 1 KV head, head size 16 as GroupQueryAttention requires), K multiples of 32 so MatMulNBits has whole blocks, and small
    # enough to commit (see tests/fixtures/README.md).
    "tiny": ModelSpec("tiny", dim=32, hidden_dim=64, layers=2, heads=2, kv_heads=1, vocab=512, seq_len=256, tokenizer="stories512"),
    # stories110M's shape.
    "small": ModelSpec("small", dim=768, hidden_dim=2048, layers=12, heads=12, kv_heads=12, vocab=32000, seq_len=1024, tokenizer="llama2"),
    # Qwen2.5-0.5B's body (dim, layers, heads, KV heads, FFN) with Llama 2's vocabulary.
    "medium": ModelSpec("medium", dim=896, hidden_dim=4864, layers=24, heads=14, kv_heads=2, vocab=32000, seq_len=2048, tokenizer="llama2"),
}

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_CHUNK = 1 << 22


def _stream_key(seed, name, layer):
    digest = hashlib.sha256(f"{seed}/{name}/{layer}".encode()).digest()
    return np.uint64(int.from_bytes(digest[:8], "little"))


def _uniform(key, start, count):
    """count floats in [-1, 1) from SplitMix64 outputs start..start+count-1 of stream `key` (24 random bits each)."""
    with np.errstate(over="ignore"):
        z = key + (np.arange(start + 1, start + count + 1, dtype=np.uint64) * _GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
        z ^= z >> np.uint64(31)
    bits = (z >> np.uint64(40)).astype(np.float32)  # exact: < 2^24
    return bits * np.float32(2.0 / (1 << 24)) - np.float32(1.0)


def _draw(spec, name, layer, shape, center, half_width):
    count = int(np.prod(shape))
    key = _stream_key(spec.seed, name, layer)
    out = np.empty(count, dtype=np.float32)
    for start in range(0, count, _CHUNK):
        n = min(_CHUNK, count - start)
        out[start:start + n] = _uniform(key, start, n) * np.float32(half_width) + np.float32(center)
    return out.reshape(shape)


# A layer's tensors in llama2.c's checkpoint order: w1 is the FFN gate, w3 the up projection, w2 the down projection.
LAYER_TENSORS = ("attention_norm", "wq", "wk", "wv", "wo", "ffn_norm", "w1", "w2", "w3")


def layer_tensor(spec, name, layer):
    """One tensor of one layer: an RMSNorm weight (1 ± 0.1, so the scale is exercised but no channel dies) or a
    projection [out, in] (uniform with standard deviation 1/sqrt(in), so each keeps its input's scale)."""
    shape = {
        "attention_norm": (spec.dim,), "ffn_norm": (spec.dim,),
        "wq": (spec.dim, spec.dim), "wk": (spec.kv_dim, spec.dim), "wv": (spec.kv_dim, spec.dim), "wo": (spec.dim, spec.dim),
        "w1": (spec.hidden_dim, spec.dim), "w2": (spec.dim, spec.hidden_dim), "w3": (spec.hidden_dim, spec.dim),
    }[name]
    if len(shape) == 1:
        return _draw(spec, name, layer, shape, 1.0, 0.1)
    return _draw(spec, name, layer, shape, 0.0, math.sqrt(3.0 / shape[1]))


def embedding(spec):
    """[vocab, dim], also the classifier (tied): standard deviation 1/sqrt(dim) gives logits of standard deviation ~1."""
    return _draw(spec, "tok_embeddings", -1, (spec.vocab, spec.dim), 0.0, math.sqrt(3.0 / spec.dim))


def final_norm(spec):
    return _draw(spec, "norm", -1, (spec.dim,), 1.0, 0.1)


def rope_tables(spec):
    """cos and sin of pos * theta^(-2i/head_size), [seq_len, head_size/2] each, in float32 as llama2.c's export and
    GenAI's builder compute them (the builder's cos_cache/sin_cache are the same tables)."""
    half = spec.head_size // 2
    inv_freq = np.float32(1.0) / (np.float32(ROPE_THETA) ** (np.arange(0, spec.head_size, 2, dtype=np.float32)[:half] / np.float32(spec.head_size)))
    angles = np.outer(np.arange(spec.seq_len, dtype=np.float32), inv_freq).astype(np.float32)
    return np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)


def rotate_half_rows(matrix, heads):
    """llama2.c rotates interleaved pairs (2i, 2i+1) of each head; Hugging Face Llama (and GenAI's builder, with
    rotary_interleaved=0) rotates (i, i + head_size/2). Reordering the rows of wq/wk from the first layout to the second
    gives the same attention scores, exactly: it is the inverse of llama2.c export.py's permute_reverse."""
    rows, cols = matrix.shape
    head_size = rows // heads
    return matrix.reshape(heads, head_size // 2, 2, cols).transpose(0, 2, 1, 3).reshape(rows, cols)
