#!/usr/bin/python3
"""Trains PadKernel's personalized reward model (PersRM) for the stories260K story model.

The recipe is the paper's PersRM at the story model's scale:

1. Candidates: for every training preference and training prompt, stories260K samples 4 continuations with the
   preference written before the prompt (``preference + "\\n\\n" + prompt``) and 4 without it.
2. Labels: each candidate is scored by a keyword judge that does NOT reward copying (it penalizes meta-text such as
   "the story" and any verbatim 3-gram of the preference); chosen/rejected = highest/lowest score, ties dropped.
3. DPO: a copy of stories260K is trained to prefer chosen over rejected given the preference-prompted context
   (``preference + "\\n\\n" + prompt``: what PadKernel's reward-model mode feeds a raw, non-chat model in both
   contexts), against stories260K reading the same context as the frozen reference.

Preferences in HELD_OUT are never seen in training; docs/evaluation.md evaluates on them. Everything is seeded and
runs single-threaded, so one command reproduces the weights bit for bit on the same torch build:

    /usr/bin/python3 tools/persrm/train.py --base models/stories260K --out models/stories260K-persrm

Needs Debian's python3-torch (1.13) and python3-numpy: ``apt-get install -y python3-torch python3-numpy``.
"""

import argparse
import hashlib
import json
import math
import os
import re
import struct
import sys
import time

import torch
import torch.nn.functional as F

# --- preferences and prompts ------------------------------------------------------------------------------------

# Topic preferences "The story is about a {noun}." with the words that count as following it. Nouns TinyStories knows.
TRAIN_NOUNS = {
    "dog": ["dog", "dogs", "puppy", "puppies"],
    "cat": ["cat", "cats", "kitten", "kitty"],
    "bird": ["bird", "birds"],
    "fish": ["fish", "fishes"],
    "ball": ["ball", "balls"],
    "tree": ["tree", "trees"],
    "car": ["car", "cars"],
    "boat": ["boat", "boats"],
    "princess": ["princess", "princesses"],
    "dragon": ["dragon", "dragons"],
    "cake": ["cake", "cakes"],
    "flower": ["flower", "flowers"],
    "bunny": ["bunny", "bunnies", "rabbit", "rabbits"],
    "bear": ["bear", "bears"],
    "toy": ["toy", "toys"],
    "park": ["park", "parks"],
    "sun": ["sun", "sunny"],
    "rain": ["rain", "rainy", "raining"],
    "kite": ["kite", "kites"],
    "apple": ["apple", "apples"],
    "duck": ["duck", "ducks"],
    "box": ["box", "boxes"],
    "garden": ["garden", "gardens"],
    "star": ["star", "stars"],
    "house": ["house", "houses"],
    "book": ["book", "books"],
    "horse": ["horse", "horses"],
    "snow": ["snow", "snowman", "snowy"],
    "train": ["train", "trains"],
    "hat": ["hat", "hats"],
}

# Never used for training; docs/evaluation.md reports PAD on these. Mirrors samples/suites/stories-heldout.json.
HELD_OUT_NOUNS = {
    "frog": ["frog", "frogs"],
    "monkey": ["monkey", "monkeys"],
    "truck": ["truck", "trucks"],
    "cookie": ["cookie", "cookies"],
    "moon": ["moon"],
    "shoe": ["shoe", "shoes"],
    "bee": ["bee", "bees"],
    "lion": ["lion", "lions"],
    "boy": ["boy", "boys"],
}

TRAIN_MOODS = {
    "sad": ("The story is sad.", ["sad", "sadly", "cry", "cried", "crying", "tears", "upset", "lonely", "sorry", "hurt"]),
}

# Training prompts; the evaluation suites use other prompts.
TRAIN_PROMPTS = [
    "Once upon a time",
    "One day, a little girl",
    "There was a boy who",
    "Once upon a time, in a big forest,",
    "One sunny morning,",
    "Once upon a time, there was a little boy",
    "Tim and his sister",
    "One night,",
]

# Meta-text a model writes when it copies the instruction instead of following it.
META_PHRASES = ["the story", "main character", "moral of the story", "story is about", "this story"]

# What PadKernel's reward-model mode feeds a raw (non-chat) model in both contexts: PadPrompts.SelfContrastText.
CONTEXT = "{preference}\n\n{prompt}"


def topic_text(noun):
    article = "an" if noun[0] in "aeiou" else "a"
    return f"The story is about {article} {noun}."


def preferences(nouns, moods):
    prefs = [(topic_text(n), words) for n, words in nouns.items()]
    prefs += [moods[m] for m in moods]
    return prefs


# --- scoring: keyword rate, penalized for copying ---------------------------------------------------------------

WORD = re.compile(r"[a-z']+")


def words_of(text):
    return WORD.findall(text.lower())


def judge(text, preference, keywords):
    """Keyword hits per 50 words (capped at 1), minus copying: meta phrases and verbatim preference 3-grams."""
    tokens = words_of(text)
    if not tokens:
        return 0.0
    hits = sum(1 for t in tokens if t in keywords)
    score = min(1.0, hits * 50.0 / max(len(tokens), 25) / 3.0)
    lower = " ".join(tokens)
    pref = words_of(preference)
    grams = {" ".join(pref[i:i + 3]) for i in range(len(pref) - 2)}
    copied = sum(lower.count(g) for g in grams) + sum(lower.count(p) for p in META_PHRASES)
    return score - 0.5 * copied


# --- llama2.c checkpoint and tokenizer --------------------------------------------------------------------------

class Checkpoint:
    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        dim, hidden, layers, heads, kv_heads, vocab, seq = struct.unpack("<7i", data[:28])
        self.shared = vocab > 0
        self.config = dict(dim=dim, hidden=hidden, layers=layers, heads=heads, kv_heads=kv_heads, vocab=abs(vocab), seq=seq)
        self.header = data[:28]
        head = dim // heads
        kv = kv_heads * head
        shapes = [
            ("emb", (abs(vocab), dim)), ("rms_att", (layers, dim)), ("wq", (layers, dim, dim)), ("wk", (layers, kv, dim)),
            ("wv", (layers, kv, dim)), ("wo", (layers, dim, dim)), ("rms_ffn", (layers, dim)), ("w1", (layers, hidden, dim)),
            ("w2", (layers, dim, hidden)), ("w3", (layers, hidden, dim)), ("rms_final", (dim,)),
        ]
        offset = 28
        self.tensors = {}
        for name, shape in shapes:
            count = math.prod(shape)
            self.tensors[name] = torch.frombuffer(bytearray(data[offset:offset + 4 * count]), dtype=torch.float32).reshape(shape).clone()
            offset += 4 * count
        # RoPE tables (and a classifier when not shared) are copied through unchanged.
        self.tail = data[offset:]

    def write(self, path, tensors):
        with open(path, "wb") as f:
            f.write(self.header)
            for name in ["emb", "rms_att", "wq", "wk", "wv", "wo", "rms_ffn", "w1", "w2", "w3", "rms_final"]:
                f.write(tensors[name].detach().to(torch.float32).contiguous().numpy().tobytes())
            f.write(self.tail)


class Tokenizer:
    """llama2.c's BPE encoder (dummy-prefix space, best-score pair merges, byte fallback) over tok512.bin."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        offset = 4
        self.pieces, self.scores = [], []
        while offset < len(data):
            score, length = struct.unpack("<fi", data[offset:offset + 8])
            offset += 8
            self.pieces.append(data[offset:offset + length])
            self.scores.append(score)
            offset += length
        self.lookup = {}
        for i, p in enumerate(self.pieces):
            if i > 2 and not re.fullmatch(rb"<0x[0-9A-F]{2}>", p):
                self.lookup.setdefault(p, i)

    def encode(self, text, bos=True):
        ids = []
        if text:
            text = " " + text
        for ch in text:
            b = ch.encode("utf-8")
            if b in self.lookup:
                ids.append(self.lookup[b])
            else:
                ids.extend(x + 3 for x in b)
        while True:
            best, best_i = -1e10, -1
            for i in range(len(ids) - 1):
                merged = self.lookup.get(self.piece(ids[i]) + self.piece(ids[i + 1]))
                if merged is not None and self.scores[merged] > best:
                    best, best_i, best_id = self.scores[merged], i, merged
            if best_i < 0:
                break
            ids[best_i:best_i + 2] = [best_id]
        return ([1] if bos else []) + ids

    def piece(self, i):
        p = self.pieces[i]
        m = re.fullmatch(rb"<0x([0-9A-F]{2})>", p)
        return bytes([int(m.group(1), 16)]) if m else p

    def decode(self, ids):
        return b"".join(self.piece(i) for i in ids if i > 2).decode("utf-8", errors="replace")


# --- the model (llama2.c's Llama: RMSNorm, interleaved RoPE, GQA, SwiGLU, tied classifier) -----------------------

class Llama(torch.nn.Module):
    def __init__(self, checkpoint):
        super().__init__()
        self.c = checkpoint.config
        self.p = torch.nn.ParameterDict({k: torch.nn.Parameter(v.clone()) for k, v in checkpoint.tensors.items()})
        head = self.c["dim"] // self.c["heads"]
        freqs = 1.0 / (10000.0 ** (torch.arange(0, head, 2, dtype=torch.float32) / head))
        angles = torch.outer(torch.arange(self.c["seq"], dtype=torch.float32), freqs)
        self.register_buffer("cos", torch.cos(angles), persistent=False)
        self.register_buffer("sin", torch.sin(angles), persistent=False)

    @staticmethod
    def rms(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * w

    def rope(self, x, start):
        t = x.shape[1]
        x0, x1 = x[..., 0::2], x[..., 1::2]
        cos, sin = self.cos[start:start + t, None, :], self.sin[start:start + t, None, :]
        return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).flatten(-2)

    def forward(self, ids, cache=None):
        """Logits for every position of ids; with a cache (a list, filled on first use) ids continue the cached ones."""
        c, p = self.c, self.p
        b, t = ids.shape
        heads, kv_heads = c["heads"], c["kv_heads"]
        head = c["dim"] // heads
        start = cache[0][0].shape[1] if cache else 0
        x = p["emb"][ids]
        mask = torch.full((t, start + t), float("-inf")).triu(start + 1)
        for layer in range(c["layers"]):
            h = self.rms(x, p["rms_att"][layer])
            q = self.rope((h @ p["wq"][layer].T).view(b, t, heads, head), start)
            k = self.rope((h @ p["wk"][layer].T).view(b, t, kv_heads, head), start)
            v = (h @ p["wv"][layer].T).view(b, t, kv_heads, head)
            if cache is not None:
                if len(cache) > layer:
                    k = torch.cat([cache[layer][0], k], dim=1)
                    v = torch.cat([cache[layer][1], v], dim=1)
                    cache[layer] = (k, v)
                else:
                    cache.append((k, v))
            k = k.repeat_interleave(heads // kv_heads, dim=2)
            v = v.repeat_interleave(heads // kv_heads, dim=2)
            att = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(head) + mask
            out = torch.einsum("bhqk,bkhd->bqhd", att.softmax(-1), v).reshape(b, t, c["dim"])
            x = x + out @ p["wo"][layer].T
            h = self.rms(x, p["rms_ffn"][layer])
            x = x + (F.silu(h @ p["w1"][layer].T) * (h @ p["w3"][layer].T)) @ p["w2"][layer].T
        return self.rms(x, p["rms_final"]) @ p["emb"].T


@torch.no_grad()
def sample(model, context, count, max_tokens, temperature, generator):
    """Samples `count` continuations of `context` (no KV cache: the model is tiny); stops at BOS/EOS."""
    ids = torch.tensor([context] * count)
    cache = []
    done = torch.zeros(count, dtype=torch.bool)
    out = [[] for _ in range(count)]
    for _ in range(max_tokens):
        logits = model(ids, cache)[:, -1, :] / temperature
        nxt = torch.multinomial(logits.softmax(-1), 1, generator=generator).squeeze(1)
        for i in range(count):
            if not done[i]:
                if nxt[i].item() in (1, 2):
                    done[i] = True
                else:
                    out[i].append(nxt[i].item())
        if done.all():
            break
        ids = nxt[:, None]
    return out


def sequence_logp(model, context, continuation):
    ids = torch.tensor([context + continuation])
    logp = model(ids[:, :-1]).log_softmax(-1)
    targets = ids[:, 1:]
    picked = logp.gather(-1, targets[..., None]).squeeze(-1)[0]
    return picked[len(context) - 1:].sum()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="folder with stories260K.bin and tok512.bin")
    parser.add_argument("--out", required=True, help="output folder (stories260K-persrm.bin, tok512.bin copy, pairs.jsonl, train.json)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--candidates", type=int, default=4, help="samples with and (as many) without the preference")
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--beta", type=float, default=0.1)
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    started = time.time()
    checkpoint = Checkpoint(os.path.join(args.base, "stories260K.bin"))
    tokenizer = Tokenizer(os.path.join(args.base, "tok512.bin"))
    reference = Llama(checkpoint).eval()
    for parameter in reference.parameters():
        parameter.requires_grad_(False)

    # 1-2. Candidates and labels.
    generator = torch.Generator().manual_seed(args.seed)
    pairs = []
    for preference, keywords in preferences(TRAIN_NOUNS, TRAIN_MOODS):
        for prompt in TRAIN_PROMPTS:
            prompt_ids = tokenizer.encode(prompt)
            with_pref = tokenizer.encode(CONTEXT.format(preference=preference, prompt=prompt))
            candidates = [c for c in sample(reference, with_pref, args.candidates, args.max_tokens, args.temperature, generator) if c]
            candidates += [c for c in sample(reference, prompt_ids, args.candidates, args.max_tokens, args.temperature, generator) if c]
            scored = sorted(((judge(tokenizer.decode(c), preference, set(keywords)), i) for i, c in enumerate(candidates)), key=lambda s: (-s[0], s[1]))
            (best, bi), (worst, wi) = scored[0], scored[-1]
            print(f"{preference} | {prompt}: {best:.2f} vs {worst:.2f}", file=sys.stderr)
            if best > worst:
                pairs.append(dict(preference=preference, prompt=prompt, chosen=candidates[bi], rejected=candidates[wi],
                                  chosen_score=best, rejected_score=worst))
    print(f"{len(pairs)} pairs over {len(TRAIN_NOUNS) + len(TRAIN_MOODS)} preferences in {time.time() - started:.0f}s", file=sys.stderr)

    # 3. DPO against the frozen reference, both reading the guideline context.
    policy = Llama(checkpoint)
    optimizer = torch.optim.Adam(policy.parameters(), lr=args.lr)
    examples = []
    for pair in pairs:
        context = tokenizer.encode(CONTEXT.format(preference=pair["preference"], prompt=pair["prompt"]))
        with torch.no_grad():
            ref_c = sequence_logp(reference, context, pair["chosen"])
            ref_r = sequence_logp(reference, context, pair["rejected"])
        examples.append((context, pair["chosen"], pair["rejected"], ref_c, ref_r))
    losses = []
    for epoch in range(args.epochs):
        order = torch.randperm(len(examples), generator=generator).tolist()
        total = 0.0
        for i in order:
            context, chosen, rejected, ref_c, ref_r = examples[i]
            margin = (sequence_logp(policy, context, chosen) - ref_c) - (sequence_logp(policy, context, rejected) - ref_r)
            loss = -F.logsigmoid(args.beta * margin)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        losses.append(total / len(examples))
        print(f"epoch {epoch + 1}: mean DPO loss {losses[-1]:.4f}", file=sys.stderr)

    os.makedirs(args.out, exist_ok=True)
    weights = os.path.join(args.out, "stories260K-persrm.bin")
    checkpoint.write(weights, {k: v for k, v in policy.p.items()})
    with open(os.path.join(args.base, "tok512.bin"), "rb") as src, open(os.path.join(args.out, "tok512.bin"), "wb") as dst:
        dst.write(src.read())
    with open(os.path.join(args.out, "pairs.jsonl"), "w") as f:
        for pair in pairs:
            f.write(json.dumps(pair) + "\n")
    with open(weights, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    summary = dict(seed=args.seed, candidates=args.candidates, max_tokens=args.max_tokens, temperature=args.temperature,
                   lr=args.lr, epochs=args.epochs, beta=args.beta, pairs=len(pairs), losses=[round(x, 6) for x in losses],
                   train_preferences=[p for p, _ in preferences(TRAIN_NOUNS, TRAIN_MOODS)],
                   held_out_preferences=[p for p, _ in preferences(HELD_OUT_NOUNS, {})],
                   torch=torch.__version__, sha256=digest)
    with open(os.path.join(args.out, "train.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(f"{digest}  {weights} ({time.time() - started:.0f}s)", file=sys.stderr)


if __name__ == "__main__":
    main()
