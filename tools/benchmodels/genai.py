"""Writes a model as an ONNX Runtime GenAI folder shaped like the output of GenAI's model builder for Llama on CPU.

The graph follows microsoft/onnxruntime-genai src/python/py/models/builders/base.py (``-e cpu -p fp32`` and
``-p int4``), node for node and name for name:

- inputs ``input_ids`` [batch, seq] int64, ``attention_mask`` [batch, total_seq] int64, ``past_key_values.%d.key``
  then ``past_key_values.%d.value`` [batch, kv_heads, past_seq, head_size] float (no ``position_ids``: rotary runs
  inside attention); outputs ``logits`` then ``present.%d.key`` and ``present.%d.value``;
- ``/model/attn_mask_reformat``: ReduceSum(attention_mask) - 1 cast to int32 is ``seqlens_k``, the mask's second
  dimension cast to int32 is ``total_sequence_length``;
- embedding Gather; per layer SimplifiedLayerNormalization (first) or SkipSimplifiedLayerNormalization, one packed
  q/k/v MatMul, GroupQueryAttention (com.microsoft) with ``do_rotary=1`` and the cos/sin caches, o_proj MatMul,
  SkipSimplifiedLayerNormalization, gate/up MatMuls, Sigmoid * gate (SiLU) * up, down MatMul; a final
  SkipSimplifiedLayerNormalization and the lm_head MatMul (untied, as the builder writes it);
- int4: every MatMul with a constant weight becomes MatMulNBits (bits 4, block 32, symmetric, accuracy_level 4: the
  builder's CPU defaults) with the layout of ONNX Runtime's quantizer (``*_Q4`` uint8 [N, K/32, 16], low nibble
  first; ``*_scales`` float [N * K/32]; zero point 8 implied);
- every initializer in one external file ``model.onnx.data`` (tensors over 1 MiB at 64 KiB offsets, as onnx_ir
  saves them), opset 21 + com.microsoft 1, IR version 10.

Tensors are drawn, transformed and appended to the data file one at a time; the graph itself holds no weights.
"""

import json
import os
import shutil

import numpy as np
from onnx import TensorProto, helper

import weights

OPSET = 21
IR_VERSION = 10
BLOCK_SIZE = 32
ACCURACY_LEVEL = 4
DATA_FILE = "model.onnx.data"
_ALIGN_THRESHOLD = 1 << 20
_ALIGNMENT = 1 << 16
_FLOAT = TensorProto.FLOAT
_INT64 = TensorProto.INT64
_INT32 = TensorProto.INT32


def quantize_int4(b):
    """ONNX Runtime's blockwise symmetric int4 quantization of a MatMul weight b [K, N] (MLAS BlockwiseQuantizer,
    column-wise): per column and block of 32 rows, scale = m / -8 where m is the block's value of largest magnitude;
    q = clamp(round_half_away(v / scale + 8), 0, 15). Returns (packed uint8 [N, K/32, 16], scales float32 [N*K/32])."""
    k, n = b.shape
    if k % BLOCK_SIZE:
        raise ValueError(f"K={k} is not a multiple of the block size {BLOCK_SIZE}")
    blocks = np.ascontiguousarray(b.T, dtype=np.float32).reshape(n, k // BLOCK_SIZE, BLOCK_SIZE)
    high, low = blocks.max(axis=2), blocks.min(axis=2)
    signed_max = np.where(np.abs(high) > np.abs(low), high, low)
    scales = (signed_max / np.float32(-8.0)).astype(np.float32)
    with np.errstate(divide="ignore"):
        reciprocal = np.where(scales != 0, np.float32(1.0) / scales, np.float32(0.0)).astype(np.float32)
    x = blocks * reciprocal[:, :, None] + np.float32(8.0)
    floor = np.floor(x)
    rounded = np.where(x - floor >= np.float32(0.5), floor + np.float32(1.0), floor)  # roundf: x >= 0 here
    q = np.clip(rounded, 0, 15).astype(np.uint8)
    packed = (q[:, :, 0::2] | (q[:, :, 1::2] << np.uint8(4))).astype(np.uint8)
    return packed, scales.reshape(-1)


class _DataFile:
    """Appends tensors to the external data file and returns initializers that point into it."""

    def __init__(self, path):
        self._file = open(path, "wb")
        self._offset = 0

    def add(self, name, array):
        data = np.ascontiguousarray(array)
        if data.dtype == np.float32:
            data_type = _FLOAT
        elif data.dtype == np.uint8:
            data_type = TensorProto.UINT8
        else:
            raise TypeError(f"{name}: unsupported dtype {data.dtype}")
        raw = data.astype(data.dtype.newbyteorder("<"), copy=False).tobytes()
        if len(raw) > _ALIGN_THRESHOLD and self._offset % _ALIGNMENT:
            padding = _ALIGNMENT - self._offset % _ALIGNMENT
            self._file.write(b"\0" * padding)
            self._offset += padding
        self._file.write(raw)
        tensor = TensorProto()
        tensor.name = name
        tensor.data_type = data_type
        tensor.dims.extend(data.shape)
        tensor.data_location = TensorProto.EXTERNAL
        for key, value in (("location", DATA_FILE), ("offset", str(self._offset)), ("length", str(len(raw)))):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        self._offset += len(raw)
        return tensor

    def close(self):
        self._file.close()


class _Graph:
    """Nodes, typed values and lazily drawn initializers, named the way the builder names them."""

    def __init__(self, spec, int4):
        self.spec = spec
        self.int4 = int4
        self.nodes = []
        self.value_info = {}
        self.initializers = []  # (name, producer) in the builder's order
        self.quantized = []  # (name, producer) of MatMul weights, appended after the others as the quantizer does
        self._constants = set()

    def hidden(self, last=None):
        return ["batch_size", "sequence_length", self.spec.dim if last is None else last]

    def value(self, name, dtype, shape):
        self.value_info[name] = (dtype, shape)

    def node(self, op, inputs, outputs, name, domain="", **attributes):
        for value in inputs:
            if value.startswith("/model/constants/") and value not in self._constants:
                self._constant(value)
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, domain=domain, **attributes))

    def _constant(self, name):
        # "/model/constants/INT64/[1]" -> a Constant node "/model/constant_nodes/INT64/[1]", as the builder makes them.
        kind, literal = name.split("/")[-2:]
        assert kind == "INT64", name
        values = json.loads(literal)
        if isinstance(values, list):
            tensor = helper.make_tensor(name, _INT64, [len(values)], values)
        else:
            tensor = helper.make_tensor(name, _INT64, [], [values])
        self._constants.add(name)
        self.nodes.append(helper.make_node("Constant", [], [name], name=name.replace("constants", "constant_nodes"), value=tensor))

    def initializer(self, name, producer):
        self.initializers.append((name, producer))

    def matmul(self, basename, root_input, weight_name, producer, in_features, out_features, output=None):
        """A MatMul with weight producer() [in, out], or its MatMulNBits form; returns the output name."""
        output = output or f"{basename}/output_0"
        if self.int4:
            self.quantized.append((weight_name, producer))
            self.node("MatMulNBits", [root_input, f"{weight_name}_Q4", f"{weight_name}_scales"], [output], name=f"{basename}_Q4",
                      domain="com.microsoft", K=in_features, N=out_features, bits=4, block_size=BLOCK_SIZE, accuracy_level=ACCURACY_LEVEL)
        else:
            self.initializer(weight_name, producer)
            self.node("MatMul", [root_input, weight_name], [output], name=basename)
        if output != "logits":
            self.value(output, _FLOAT, self.hidden(out_features))
        return output


def _build(spec, int4):
    g = _Graph(spec, int4)
    s = spec
    layers = range(s.layers)

    # Attention mask -> seqlens_k (tokens per row - 1) and total_sequence_length, for GroupQueryAttention.
    mask = "/model/attn_mask_reformat/attn_mask_subgraph"
    g.node("ReduceSum", ["attention_mask", "/model/constants/INT64/[1]"], [f"{mask}/ReduceSum/output_0"], name=f"{mask}/ReduceSum", keepdims=0)
    g.value(f"{mask}/ReduceSum/output_0", _INT64, ["batch_size"])
    g.node("Sub", [f"{mask}/ReduceSum/output_0", "/model/constants/INT64/[1]"], [f"{mask}/Sub/output_0"], name=f"{mask}/Sub")
    g.value(f"{mask}/Sub/output_0", _INT64, ["batch_size"])
    seqlens_k = f"{mask}/Sub/Cast/output_0"
    g.node("Cast", [f"{mask}/Sub/output_0"], [seqlens_k], name=f"{mask}/Sub/Cast", to=_INT32)
    g.value(seqlens_k, _INT32, ["batch_size"])
    g.node("Shape", ["attention_mask"], [f"{mask}/Shape/output_0"], name=f"{mask}/Shape")
    g.value(f"{mask}/Shape/output_0", _INT64, [2])
    g.node("Gather", [f"{mask}/Shape/output_0", "/model/constants/INT64/1"], [f"{mask}/Gather/output_0"], name=f"{mask}/Gather", axis=0)
    g.value(f"{mask}/Gather/output_0", _INT64, [])
    total_seq_len = f"{mask}/Gather/Cast/output_0"
    g.node("Cast", [f"{mask}/Gather/output_0"], [total_seq_len], name=f"{mask}/Gather/Cast", to=_INT32)
    g.value(total_seq_len, _INT32, None)

    g.initializer("model.embed_tokens.weight", lambda: weights.embedding(s))
    embedded = "/model/embed_tokens/Gather/output_0"
    g.node("Gather", ["model.embed_tokens.weight", "input_ids"], [embedded], name="/model/embed_tokens/Gather")
    g.value(embedded, _FLOAT, g.hidden())

    root, skip = embedded, None
    for l in layers:
        prefix = f"/model/layers.{l}"
        # Input norm: plain for the first layer, then fused with the residual add of the previous layer's MLP.
        norm_weight = f"model.layers.{l}.input_layernorm.weight"
        g.initializer(norm_weight, lambda l=l: weights.layer_tensor(s, "attention_norm", l))
        normed = f"{prefix}/input_layernorm/output_0"
        if skip is None:
            g.node("SimplifiedLayerNormalization", [root, norm_weight], [normed], name=f"{prefix}/input_layernorm/LayerNorm",
                   epsilon=weights.RMS_EPSILON, axis=-1, stash_type=1)
        else:
            residual = f"{prefix}/input_layernorm/output_3"
            g.node("SkipSimplifiedLayerNormalization", [root, skip, norm_weight], [normed, "", "", residual],
                   name=f"{prefix}/input_layernorm/SkipLayerNorm", domain="com.microsoft", epsilon=weights.RMS_EPSILON)
            g.value(residual, _FLOAT, g.hidden())
            root = residual
        g.value(normed, _FLOAT, g.hidden())

        # Packed q/k/v projection (rows of wq and wk reordered for rotate-half RoPE), then attention with RoPE inside.
        qkv_out = s.dim + 2 * s.kv_dim
        qkv = g.matmul(f"{prefix}/attn/qkv_proj/MatMul", normed, f"model.layers.{l}.attn.qkv_proj.MatMul.weight",
                       lambda l=l: np.concatenate([weights.rotate_half_rows(weights.layer_tensor(s, "wq", l), s.heads),
                                                   weights.rotate_half_rows(weights.layer_tensor(s, "wk", l), s.kv_heads),
                                                   weights.layer_tensor(s, "wv", l)]).T, s.dim, qkv_out)
        if l == 0:
            g.initializer("cos_cache", lambda: weights.rope_tables(s)[0])
            g.initializer("sin_cache", lambda: weights.rope_tables(s)[1])
        attention = f"{prefix}/attn/GroupQueryAttention/output_0"
        g.node("GroupQueryAttention",
               [qkv, "", "", f"past_key_values.{l}.key", f"past_key_values.{l}.value", seqlens_k, total_seq_len, "cos_cache", "sin_cache", "", "", ""],
               [attention, f"present.{l}.key", f"present.{l}.value"], name=f"{prefix}/attn/GroupQueryAttention", domain="com.microsoft",
               num_heads=s.heads, kv_num_heads=s.kv_heads, scale=float(1.0 / np.sqrt(s.head_size)), local_window_size=-1,
               softcap=0.0, do_rotary=1, rotary_interleaved=0)
        g.value(attention, _FLOAT, g.hidden(s.heads * s.head_size))
        attention_out = g.matmul(f"{prefix}/attn/o_proj/MatMul", attention, f"model.layers.{l}.attn.o_proj.MatMul.weight",
                                 lambda l=l: weights.layer_tensor(s, "wo", l).T, s.dim, s.dim)

        norm_weight = f"model.layers.{l}.post_attention_layernorm.weight"
        g.initializer(norm_weight, lambda l=l: weights.layer_tensor(s, "ffn_norm", l))
        normed, residual = f"{prefix}/post_attention_layernorm/output_0", f"{prefix}/post_attention_layernorm/output_3"
        g.node("SkipSimplifiedLayerNormalization", [root, attention_out, norm_weight], [normed, "", "", residual],
               name=f"{prefix}/post_attention_layernorm/SkipLayerNorm", domain="com.microsoft", epsilon=weights.RMS_EPSILON)
        g.value(normed, _FLOAT, g.hidden())
        g.value(residual, _FLOAT, g.hidden())
        root = residual

        # SwiGLU: down(silu(gate(x)) * up(x)), SiLU as Sigmoid then Mul.
        gate = g.matmul(f"{prefix}/mlp/gate_proj/MatMul", normed, f"model.layers.{l}.mlp.gate_proj.MatMul.weight",
                        lambda l=l: weights.layer_tensor(s, "w1", l).T, s.dim, s.hidden_dim)
        up = g.matmul(f"{prefix}/mlp/up_proj/MatMul", normed, f"model.layers.{l}.mlp.up_proj.MatMul.weight",
                      lambda l=l: weights.layer_tensor(s, "w3", l).T, s.dim, s.hidden_dim)
        sigmoid, silu, product = f"{prefix}/mlp/act_fn/Sigmoid/output_0", f"{prefix}/mlp/act_fn/Mul/output_0", f"{prefix}/mlp/Mul/output_0"
        g.node("Sigmoid", [gate], [sigmoid], name=f"{prefix}/mlp/act_fn/Sigmoid")
        g.node("Mul", [gate, sigmoid], [silu], name=f"{prefix}/mlp/act_fn/Mul")
        g.node("Mul", [silu, up], [product], name=f"{prefix}/mlp/Mul")
        for name in (sigmoid, silu, product):
            g.value(name, _FLOAT, g.hidden(s.hidden_dim))
        skip = g.matmul(f"{prefix}/mlp/down_proj/MatMul", product, f"model.layers.{l}.mlp.down_proj.MatMul.weight",
                        lambda l=l: weights.layer_tensor(s, "w2", l).T, s.hidden_dim, s.dim)

    final = f"/model/layers.{s.layers}/final_norm_layernorm"
    norm_weight = f"model.layers.{s.layers}.final_norm_layernorm.weight"
    g.initializer(norm_weight, lambda: weights.final_norm(s))
    g.node("SkipSimplifiedLayerNormalization", [root, skip, norm_weight], [f"{final}/output_0"], name=f"{final}/SkipLayerNorm",
           domain="com.microsoft", epsilon=weights.RMS_EPSILON)
    g.value(f"{final}/output_0", _FLOAT, g.hidden())
    g.matmul("/lm_head/MatMul", f"{final}/output_0", "lm_head.MatMul.weight", lambda: weights.embedding(s).T, s.dim, s.vocab, output="logits")
    return g


def _io(spec):
    kv_shape = lambda seq: ["batch_size", spec.kv_heads, seq, "kv_cache_dim"]
    inputs = [helper.make_tensor_value_info("input_ids", _INT64, ["batch_size", "sequence_length"]),
              helper.make_tensor_value_info("attention_mask", _INT64, ["batch_size", "total_sequence_length"])]
    inputs += [helper.make_tensor_value_info(f"past_key_values.{l}.{kind}", _FLOAT, kv_shape("past_sequence_length"))
               for kind in ("key", "value") for l in range(spec.layers)]
    outputs = [helper.make_tensor_value_info("logits", _FLOAT, ["batch_size", "sequence_length", spec.vocab])]
    outputs += [helper.make_tensor_value_info(f"present.{l}.{kind}", _FLOAT, kv_shape("total_sequence_length"))
                for kind in ("key", "value") for l in range(spec.layers)]
    return inputs, outputs


def write_model(spec, folder, int4):
    g = _build(spec, int4)
    data = _DataFile(os.path.join(folder, DATA_FILE))
    try:
        initializers = [data.add(name, producer()) for name, producer in g.initializers]
        for name, producer in g.quantized:
            packed, scales = quantize_int4(producer())
            initializers.append(data.add(f"{name}_Q4", packed))
            initializers.append(data.add(f"{name}_scales", scales))
    finally:
        data.close()
    inputs, outputs = _io(spec)
    value_info = [helper.make_tensor_value_info(name, dtype, shape) for name, (dtype, shape) in g.value_info.items()]
    graph = helper.make_graph(g.nodes, "main_graph", inputs, outputs, initializer=initializers, value_info=value_info)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
                              producer_name="onnxruntime-genai", ir_version=IR_VERSION)
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())


def genai_config(spec):
    """genai_config.json as the builder writes it for a Llama config without generation_config.json (pad_token_id
    falls back to eos_token_id, top_k to 50). No intra_op_num_threads: the builder never writes one, so GenAI runs the
    decoder on ONNX Runtime's default thread pool settings."""
    return {
        "model": {
            "bos_token_id": weights.BOS_ID,
            "context_length": spec.seq_len,
            "decoder": {
                "session_options": {"log_id": "onnxruntime-genai", "provider_options": []},
                "filename": "model.onnx",
                "head_size": spec.head_size,
                "hidden_size": spec.dim,
                "inputs": {
                    "input_ids": "input_ids",
                    "attention_mask": "attention_mask",
                    "past_key_names": "past_key_values.%d.key",
                    "past_value_names": "past_key_values.%d.value",
                },
                "outputs": {"logits": "logits", "present_key_names": "present.%d.key", "present_value_names": "present.%d.value"},
                "num_attention_heads": spec.heads,
                "num_hidden_layers": spec.layers,
                "num_key_value_heads": spec.kv_heads,
            },
            "eos_token_id": weights.EOS_ID,
            "pad_token_id": weights.EOS_ID,
            "type": "llama",
            "vocab_size": spec.vocab,
        },
        "search": {
            "diversity_penalty": 0.0,
            "do_sample": False,
            "early_stopping": True,
            "length_penalty": 1.0,
            "max_length": spec.seq_len,
            "min_length": 0,
            "no_repeat_ngram_size": 0,
            "num_beams": 1,
            "num_return_sequences": 1,
            "past_present_share_buffer": True,
            "repetition_penalty": 1.0,
            "temperature": 1.0,
            "top_k": 50,
            "top_p": 1.0,
        },
    }


def write(spec, folder, repo, int4):
    os.makedirs(folder, exist_ok=True)
    write_model(spec, folder, int4)
    with open(os.path.join(folder, "genai_config.json"), "w", encoding="utf-8") as f:
        json.dump(genai_config(spec), f, indent=4)
    source = os.path.join(repo, weights.STORIES_TOKENIZER_JSON if spec.tokenizer == "stories512" else weights.LLAMA2_TOKENIZER_JSON)
    shutil.copyfile(os.path.join(source, "tokenizer.json"), os.path.join(folder, "tokenizer.json"))
    # The builder saves the tokenizer with model_max_length set to the context length.
    with open(os.path.join(source, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    config["model_max_length"] = spec.seq_len
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
