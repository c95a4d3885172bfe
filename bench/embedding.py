"""Embedding precision: all-MiniLM-L6-v2 in float32 against bfloat16 matrix products, on ECB+.

The model is most of the time of a comparison and a quarter of enrich. Where the CPU multiplies
bfloat16 natively (AVX512-BF16 or AMX), ``SAMESTORY_EMBED_PRECISION=auto`` (the default) runs its
matrix products in bfloat16. This prints, for both precisions, in one run:

- speed: CPU ms per word piece and per text, for claims (single sentences, cut at 64 word
  pieces, as compare reads them) and for article leads (headline + lead, cut at 96, as enrich);
- fidelity: cosine of each bfloat16 vector with its float32 one, and how much the pairwise
  cosines (what alignment and clustering read) move;
- effect on compare: claim pairs aligned on the 16 largest ECB+ events (10 articles each) with
  float32 vectors, how many bfloat16 keeps and adds, and the CPU ms of ``align_claims`` per story.

One thread, so the figures are per core. Clustering quality at each precision is in
bench/clustering.py (``SAMESTORY_EMBED_PRECISION=fp32 .venv/bin/python bench/clustering.py``).

    .venv/bin/python bench/embedding.py

ECB+ (Cybulska & Vossen, LREC 2014): read from ../shared/eval/ecbplus, never copied.
"""

from __future__ import annotations

import collections
import json
import os
import re
import time

import numpy as np
from _common import EVAL, need, record

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'“A-Z0-9])")


def _timed(fn):
    fn()  # warm: first calls allocate
    t = time.process_time()
    out = fn()
    return out, (time.process_time() - t) * 1000


def main() -> None:
    path = need(EVAL / "ecbplus" / "ecbplus.jsonl")
    import torch

    from samestory.compare import _nlp
    from samestory.compare.claims import align_claims
    from samestory.enrich import enrich
    from samestory.enrich.embed import LEAD_MAX_TOKENS, embed_texts
    from samestory.enrich.models import load_embedder, load_spacy
    from samestory.text.embed import _native_bf16
    from samestory.models import Article

    docs = [json.loads(line) for line in open(path, encoding="utf-8")]
    torch.set_num_threads(1)
    _nlp.ENCODE_THREADS = 1
    model = load_embedder()
    load_spacy()

    claims = [s for d in docs[::3] for s in _SENTENCE.split(d["text"])[:6] if len(s.split()) >= 5][:1500]
    leads = [f"{d.get('title') or ''}. {' '.join(_SENTENCE.split(d['text'])[:2])}" for d in docs[::2]][:400]

    def pieces(texts, cap):
        return sum(len(ids) for ids in model.token_ids(texts, cap))

    def run(precision: str):
        os.environ["SAMESTORY_EMBED_PRECISION"] = precision
        _nlp._vectors.clear()
        c, c_ms = _timed(lambda: (_nlp._vectors.clear(), _nlp.encode(claims))[1])
        v, v_ms = _timed(lambda: embed_texts(leads, max_tokens=LEAD_MAX_TOKENS))
        return c, c_ms, v, v_ms

    c32, c32_ms, v32, v32_ms = run("fp32")
    c16, c16_ms, v16, v16_ms = run("bf16")
    claim_pieces, lead_pieces = pieces(claims, _nlp.MAX_CLAIM_TOKENS), pieces(leads, LEAD_MAX_TOKENS)

    def fidelity(a, b):
        cos = (a * b).sum(axis=1)
        diff = np.abs(a @ a.T - b @ b.T)
        return cos.min(), cos.mean(), float(np.percentile(diff, 99)), diff.max()

    # compare: the 16 largest events, first 10 articles each
    events: dict[str, list[dict]] = collections.defaultdict(list)
    for d in docs:
        events[d["event"]].append(d)
    largest = sorted(events, key=lambda e: (-len(events[e]), e))[:16]
    stories = [enrich([Article(id=d["id"], outlet=f"doc {d['id']}", title=d.get("title") or "", text=d["text"],
                               published=d.get("published")) for d in events[e][:10]], embed=False) for e in largest]

    def aligned_pairs(precision: str):
        os.environ["SAMESTORY_EMBED_PRECISION"] = precision
        _nlp._vectors.clear()
        out, cpu = [], 0.0
        for story in stories:
            _nlp._vectors.clear()
            t = time.process_time()
            al = align_claims(story)
            cpu += time.process_time() - t
            pairs = set()
            for m in al.members:
                where = sorted((al.infos[i].article_index, al.infos[i].claim.span.start) for i in m)
                pairs |= {(x, y) for k, x in enumerate(where) for y in where[k + 1:] if x[0] != y[0]}
            out.append(pairs)
        return out, cpu * 1000 / len(stories)

    aligned_pairs("fp32")  # warm the parse cache, so both timed runs parse nothing new
    p32, a32_ms = aligned_pairs("fp32")
    p16, a16_ms = aligned_pairs("bf16")
    os.environ.pop("SAMESTORY_EMBED_PRECISION", None)
    total = sum(len(p) for p in p32)
    kept = sum(len(a & b) for a, b in zip(p32, p16))
    added = sum(len(b - a) for a, b in zip(p32, p16))

    cf, lf = fidelity(c32, c16), fidelity(v32, v16)
    lines = [
        f"ECB+: {len(claims)} claim sentences ({claim_pieces / len(claims):.1f} word pieces each), {len(leads)} article "
        f"leads ({lead_pieces / len(leads):.1f} each); one thread. Native bfloat16 on this CPU: "
        f"**{'yes' if _native_bf16() else 'no'}** (auto picks {'bf16' if _native_bf16() else 'fp32'}).",
        "",
        "| | float32 | bfloat16 | ratio |",
        "|---|---|---|---|",
        f"| claims: CPU ms per text | {c32_ms / len(claims):.2f} | {c16_ms / len(claims):.2f} | {c32_ms / c16_ms:.2f}x |",
        f"| claims: CPU ms per word piece | {c32_ms / claim_pieces:.3f} | {c16_ms / claim_pieces:.3f} | |",
        f"| leads: CPU ms per article | {v32_ms / len(leads):.1f} | {v16_ms / len(leads):.1f} | {v32_ms / v16_ms:.2f}x |",
        f"| compare: CPU ms of align_claims per 10-article story (parses cached) | {a32_ms:.0f} | {a16_ms:.0f} | {a32_ms / a16_ms:.2f}x |",
        "",
        "| fidelity of bfloat16 | claims | leads |",
        "|---|---|---|",
        f"| cosine with the float32 vector, min / mean | {cf[0]:.5f} / {cf[1]:.5f} | {lf[0]:.5f} / {lf[1]:.5f} |",
        f"| pairwise cosine moved, p99 / max | {cf[2]:.4f} / {cf[3]:.4f} | {lf[2]:.4f} / {lf[3]:.4f} |",
        "",
        f"Compare on the 16 largest ECB+ events (10 articles each): {total} claim pairs aligned with float32 vectors; "
        f"bfloat16 keeps **{kept}** ({kept / max(total, 1):.1%}) and adds {added}.",
    ]
    record("embedding precision", lines)


if __name__ == "__main__":
    main()
