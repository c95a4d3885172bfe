"""Claims benchmark: alignment, conflicts, number rows and citation support on real news.

One run measures samestory beside the plain baseline (MiniLM cosine of the two sentences, its
threshold the one with the best accuracy on MSRP train; stated in the output):

* **MSRP** (Dolan & Brockett 2005), val split: a pair is "shared" when samestory puts the two
  sentences in one claim group. *Alone*: each pair as two one-sentence articles through
  ``align_claims``. *In a story*: pairs placed eight at a time into two articles (sentence k of
  article A is #1 of pair k, of article B its #2) run through ``compare()``; pair k is shared when
  a shared or conflicting group holds evidence in both sentences k.
* **STS headlines** (SemEval 2013-2015): grade >= 4 is a paraphrase, < 2 is not (the middle is
  left out); each pair alone; Spearman of the pair score with the grade beside the cosine's.
* **ClaimDiff-weak** (Ko et al. 2022): relation 1 (B weakens or contradicts A) is a conflict;
  every pair as two one-sentence articles of two outlets; a conflict is a ``conflicting`` group
  holding both. The baseline flags a conflict when the cosine reaches its threshold and exactly
  one side has a negation (threshold chosen on the first half of the pairs by id, measured on all).
* **MSRP value pairs**: label-0 pairs (val and train: the aligner learns only paraphrase or
  not) in which each sentence has a written number the other lacks while the rest of the
  wording is close (token-set ratio >= 80 without the numbers) are conflicts; label-1 pairs (all
  of val, and the value-differing ones of train) are not; other label-0 pairs are left out.
  Measured for conflicting groups and for ``disagree`` number rows. Most of these MSRP pairs
  are market figures at two times of one day: a precision-first detector flags few of them.
  **By reading**: the same pairs against ``bench/judged/msrp_value_pairs.tsv``, the 140
  value-differing pairs read one by one (conflict / not / unclear, with the rule in its header;
  unclear counts as not); a flagged pair the file lacks is listed and counted as wrong.
* **Emergent** (Ferreira & Vlachos 2016): two headlines on one claim, one for and one against
  it, are a conflict; two of one stance are not (a few pairs of each per claim).
* Per finding type (every type switched on), precision on a tune half (SHA-1 of the pair's text
  even), where ``ConflictConfig`` is chosen, and on the other half, which only reports.
* **SuperPAL** (Ernst et al. 2021): a summary sentence and a source sentence aligned to it are a
  supported citation; a source sentence of the same topic aligned to another summary sentence
  only is an unsupported one (the first four per summary sentence, in sorted order);
  ``summary.verify_citation`` must tell them apart.
* **WikiNews events**: a few real multi-outlet stories through ``compare()``: counts of shared,
  unique and conflicting groups and of number rows per status.

    PYTHONPATH=src .venv/bin/python bench/claims.py            # everything (3-5 min on 2 cores, shared)
    PYTHONPATH=src .venv/bin/python bench/claims.py --quick    # smaller slices

Data is read from ../shared/eval, never copied.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from _common import EVAL, need, record


def prf(pred: list[bool], gold: list[bool]) -> dict:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    tn = len(pred) - tp - fp - fn
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f = 2 * p * r / (p + r) if tp else 0.0
    return {"n": len(pred), "flagged": tp + fp, "p": p, "r": r, "f1": f, "acc": (tp + tn) / max(len(pred), 1)}


def row(name: str, m: dict) -> str:
    return f"| {name} | {m['n']} | {m['flagged']} | {m['p']:.3f} | {m['r']:.3f} | {m['f1']:.3f} | {m['acc']:.3f} |"


def read_msrp(split: str) -> list[tuple[int, str, str]]:
    path = need(EVAL / "msrp" / f"msr-para-{split}.tsv")
    out = []
    with open(path, encoding="utf-8-sig") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5:
                out.append((int(parts[0]), parts[3], parts[4]))
    return out


def read_sts() -> list[tuple[float, str, str]]:
    out = []
    for year in (2013, 2014, 2015):
        path = EVAL / "sts-news" / f"headlines.{year}.tsv"
        if not path.exists():
            continue
        for line in open(path, encoding="utf-8"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[0].strip():
                out.append((float(parts[0]), parts[1], parts[2]))
    return out


def msrp_ids() -> dict[tuple[str, str], tuple[str, str]]:
    """(#1 string, #2 string) -> (#1 ID, #2 ID) over both splits."""
    out = {}
    for split in ("train", "val"):
        with open(need(EVAL / "msrp" / f"msr-para-{split}.tsv"), encoding="utf-8-sig") as fh:
            next(fh)
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 5:
                    out[(parts[3], parts[4])] = (parts[1], parts[2])
    return out


JUDGED = Path(__file__).parent / "judged" / "msrp_value_pairs.tsv"


def read_judged() -> dict[tuple[str, str], str]:
    """(#1 ID, #2 ID) -> conflict | not | unclear: the value pairs read one by one (the file says how)."""
    out = {}
    for line in open(JUDGED, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        i1, i2, _, verdict, _ = line.rstrip("\n").split("\t", 4)
        out[(i1, i2)] = verdict
    return out


def emergent_pairs(per_claim: int) -> list[tuple[bool, str, str]]:
    """Emergent (Ferreira & Vlachos 2016): two headlines on one claim, one for it and one against
    it, are a conflict; two for it (or two against) are not. 'observing' headlines are left out.
    The first ``per_claim`` of each kind per claim, in sorted order."""
    path = need(EVAL / "emergent" / "url-versions-2015-06-14-clean.csv")
    by_claim: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in csv.DictReader(open(path, encoding="utf-8")):
        by_claim[r["claimId"]][r["articleHeadlineStance"]].append(r["articleHeadline"].strip())
    out = []
    for claim in sorted(by_claim):
        stance = {k: sorted(set(v)) for k, v in by_claim[claim].items()}
        fors, against = stance.get("for", []), stance.get("against", [])
        out += [(True, a, b) for a in fors for b in against][:per_claim]
        out += [(False, a, b) for i, a in enumerate(fors) for b in fors[i + 1 :]][:per_claim]
        out += [(False, a, b) for i, a in enumerate(against) for b in against[i + 1 :]][:per_claim]
    return out


_DIGITS = re.compile(r"\d[\d,.]*\d|\d")


def value_differing(a: str, b: str) -> bool:
    """Two sentences that differ in a written number while the rest is nearly the same wording
    (a plain regex, independent of samestory's number parser)."""
    from rapidfuzz import fuzz

    na, nb = set(_DIGITS.findall(a)), set(_DIGITS.findall(b))
    if not na - nb or not nb - na:
        return False
    return fuzz.token_set_ratio(_DIGITS.sub(" ", a), _DIGITS.sub(" ", b)) >= 80


def best_threshold(scores: np.ndarray, gold: np.ndarray) -> float:
    """The cosine threshold with the best accuracy (ties: the lower threshold)."""
    best, best_acc = 0.5, -1.0
    for t in np.unique(np.round(scores, 3)):
        acc = float(((scores >= t) == gold).mean())
        if acc > best_acc:
            best, best_acc = float(t), acc
    return best


def cosines(pairs: list[tuple[str, str]]) -> np.ndarray:
    from samestory.compare import _nlp

    a = _nlp.encode([x for x, _ in pairs])
    b = _nlp.encode([y for _, y in pairs])
    return (a * b).sum(axis=1)


def pair_articles(pairs, outlets=("Outlet A", "Outlet B"), published=None):
    """Each pair as two one-sentence articles, enriched in one batch."""
    from samestory.enrich import enrich
    from samestory.models import Article

    arts = []
    for k, (x, y) in enumerate(pairs):
        for side, text in enumerate((x, y)):
            arts.append(Article(id=f"p{k}-{side}", outlet=outlets[side], title="", text=text, published=published))
    done = enrich(arts, embed=False)
    return [(done[2 * k], done[2 * k + 1]) for k in range(len(pairs))]


NOTES: dict[str, list[str]] = {}  # finding type -> one note per pair ("" when none), all types on


def aligned_alone(arts, tag: str | None = None) -> tuple[list[bool], list[bool], list[float]]:
    """(shared, conflicting, best pair score) per pair of one-sentence articles. With ``tag``,
    also the note of a scorer with every finding type switched on (``NOTES[tag]``)."""
    from samestory.compare.claims import align_claims

    every = None
    if tag:
        try:
            from samestory.compare.claims import ConflictConfig, TypedConflictScorer

            from dataclasses import fields

            # every type the code has (a run on older code lacks the newer ones)
            have = {f.name for f in fields(ConflictConfig)}
            every = TypedConflictScorer(ConflictConfig(**{k: True for k in ("numbers", "polarity", "antonyms", "denial")
                                                          if k in have}))
        except ImportError:  # the code before ConflictConfig: every type was always on
            from samestory.compare.claims import TypedConflictScorer

            every = TypedConflictScorer()
        NOTES[tag] = []
    shared, conflict, score = [], [], []
    for a, b in arts:
        al = align_claims([a, b])
        if every is not None:
            ia = [c for c in al.infos if c.article_index == 0]
            ib = [c for c in al.infos if c.article_index == 1]
            hit = ""
            for x in ia:
                for y in ib:
                    i, j = al.infos.index(x), al.infos.index(y)
                    if al.scores[i, j] >= _threshold() and not hit:
                        hit = every(x, y) or ""
            NOTES[tag].append(hit.split(":")[0].split(" ")[0] if hit else "")
        both = [g for g in al.groups if {e.article_id for e in g.evidence} >= {a.id, b.id}]
        shared.append(any(g.status in {"shared", "conflicting"} for g in both))
        conflict.append(any(g.status == "conflicting" for g in both))
        cross = al.scores[np.ix_([i for i, c in enumerate(al.infos) if c.article_index == 0],
                                 [i for i, c in enumerate(al.infos) if c.article_index == 1])]
        score.append(float(cross.max()) if cross.size else 0.0)
    return shared, conflict, score


def _threshold() -> float:
    try:
        from samestory.compare.claims import threshold

        return threshold()
    except ImportError:  # the code before the learned scorer
        from samestory.compare.claims import ALIGN_THRESHOLD

        return ALIGN_THRESHOLD


def tune_half(key: str) -> bool:
    """The half a pair belongs to: SHA-1 of its key even is the half ConflictConfig (and the
    citation threshold) may be chosen on; the other half only reports."""
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0


def by_type(tag: str, gold: list[bool], keys: list[str]) -> list[str]:
    """Precision of each finding type with every type switched on (what ConflictConfig is set
    from), on the tune half and, separately, on the report half."""
    out = []
    notes = NOTES.get(tag, [])
    kinds = sorted({n for n in notes if n})
    for k in kinds:
        cells = []
        for want in (True, False):
            flagged = [g for n, g, key in zip(notes, gold, keys) if n == k and tune_half(key) == want]
            cells.append(f"{len(flagged)} | " + (f"{sum(flagged) / len(flagged):.3f}" if flagged else "-"))
        out.append(f"| {tag} | {k} | {' | '.join(cells)} |")
    return out


def number_disagree(arts) -> list[bool]:
    from samestory.compare.numbers import number_table

    out = []
    for a, b in arts:
        rows = number_table([a, b])
        out.append(any(r.status == "disagree" for r in rows))
    return out


def in_story(pairs: list[tuple[str, str]], size: int = 8) -> list[bool]:
    """Pairs eight at a time in two articles through ``compare()``; pair k is shared when a
    shared or conflicting group has evidence in sentence k of both articles."""
    from samestory.compare import compare
    from samestory.enrich import enrich
    from samestory.models import Article

    out: list[bool] = []
    for start in range(0, len(pairs), size):
        chunk = pairs[start : start + size]
        texts, spans = [[], []], [[], []]
        for x, y in chunk:
            for side, s in enumerate((x, y)):
                s = s.strip()
                if s and s[-1] not in ".!?\"'”’":
                    s += "."
                off = sum(len(t) + 1 for t in texts[side])
                texts[side].append(s)
                spans[side].append((off, off + len(s)))
        arts = enrich([Article(id=f"s{start}-{side}", outlet=("Outlet A", "Outlet B")[side], title="",
                               text=" ".join(texts[side])) for side in (0, 1)], embed=False)
        cov = compare(arts)
        for k in range(len(chunk)):
            hit = False
            for g in cov.claims:
                if g.status not in {"shared", "conflicting"}:
                    continue
                sides = set()
                for e in g.evidence:
                    side = 0 if e.article_id == arts[0].id else 1
                    s, t = spans[side][k]
                    if e.start < t and s < e.end:
                        sides.add(side)
                if sides == {0, 1}:
                    hit = True
                    break
            out.append(hit)
    return out


def superpal_pairs(limit: int | None) -> list[tuple[bool, str, str]]:
    path = need(EVAL / "superpal" / "dev_MN_only.csv")
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_topic[r["topic"]].append(r)
    out = []
    for topic in sorted(by_topic):
        rs = by_topic[topic]
        aligned: dict[str, set[str]] = defaultdict(set)
        for r in rs:
            aligned[r["scuSentence"]].add(r["docSentText"])
        docs = sorted({r["docSentText"] for r in rs})
        for summ in sorted(aligned):
            for d in sorted(aligned[summ]):
                out.append((True, summ, d))
            # the first four source sentences of the topic that support other summary sentences only
            out += [(False, summ, d) for d in docs if d not in aligned[summ]][:4]
    return out[:limit] if limit else out


def support_check(pairs) -> list[bool]:
    from samestory.compare import summary
    from samestory.compare.claims import align_claims

    arts = pair_articles([(s, d) for _, s, d in pairs])
    out = []
    for a, b in arts:
        al = align_claims([a, b])
        by_id = {a.id: a, b.id: b}
        left = [c for c in al.infos if c.article_index == 0]
        right = [c for c in al.infos if c.article_index == 1]
        ok = False
        for x in left:
            for y in right:
                if summary.verify_citation(x, y, al, by_id):
                    ok = True
        out.append(ok)
    return out


def wikinews(events_wanted: int) -> list[str]:
    from samestory.compare import compare
    from samestory.enrich import enrich
    from samestory.models import Article

    path = need(EVAL / "wikinews-events" / "events.jsonl")
    events: dict[str, list[dict]] = defaultdict(list)
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        events[d["event"]].append(d)
    chosen = sorted((e for e, ds in events.items() if 3 <= len(ds) <= 6),
                    key=lambda e: hashlib.sha1(e.encode()).hexdigest())[:events_wanted]
    lines = ["| event | articles | groups | shared | unique | conflicting | number rows disagree / update / agree | ms |",
             "|---|---|---|---|---|---|---|---|"]
    for e in chosen:
        ds = events[e]
        arts = enrich([Article(id=d["id"] if "id" in d else f"{e}-{k}", outlet=d["outlet"], title=d.get("title") or "",
                               text=d["text"][:6000]) for k, d in enumerate(ds)], embed=False)
        t0 = time.perf_counter()
        cov = compare(arts)
        ms = (time.perf_counter() - t0) * 1000
        st = defaultdict(int)
        for g in cov.claims:
            st[g.status] += 1
        nr = defaultdict(int)
        for r in cov.numbers:
            nr[r.status] += 1
        title = (ds[0].get("event_title") or e)[:50].replace("|", "/")
        lines.append(f"| {title} | {len(arts)} | {len(cov.claims)} | {st['shared']} | {st['unique']} | "
                     f"{st['conflicting']} | {nr['disagree']} / {nr['update']} / {nr['agree']} | {ms:.0f} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller slices (a smoke run)")
    ap.add_argument("--name", default="claims", help="RESULTS.md section name")
    args = ap.parse_args()
    q = args.quick
    from samestory.enrich.models import load_embedder, load_spacy

    load_spacy(), load_embedder()
    t_start = time.perf_counter()
    lines: list[str] = []

    # ---- the baseline threshold: best accuracy of the plain cosine on MSRP train
    train = read_msrp("train")
    train = train[:800] if q else train
    tcos = cosines([(a, b) for _, a, b in train])
    threshold = best_threshold(tcos, np.array([y == 1 for y, _, _ in train]))

    val = read_msrp("val")
    val = val[:160] if q else val
    gold = [y == 1 for y, _, _ in val]
    pairs = [(a, b) for _, a, b in val]
    vcos = cosines(pairs)
    base = [bool(c >= threshold) for c in vcos]
    arts = pair_articles(pairs)
    alone, alone_conflict, _ = aligned_alone(arts)
    story = in_story(pairs)
    number_rows = number_disagree(arts)

    lines += [
        f"Baseline: MiniLM cosine >= {threshold:.3f} (best accuracy on {len(train)} MSRP train pairs).",
        "",
        "### Alignment (shared = the two sentences in one claim group)",
        "",
        "| set / method | pairs | flagged | precision | recall | F1 | accuracy |",
        "|---|---|---|---|---|---|---|",
        row("MSRP val alone: samestory", prf(alone, gold)),
        row("MSRP val in a story (8 pairs, 2 articles, compare()): samestory", prf(story, gold)),
        row("MSRP val: MiniLM cosine baseline", prf(base, gold)),
    ]

    sts = read_sts()
    sts = [(s, a, b) for s, a, b in sts if s >= 4 or s < 2]
    sts = sts[:: (8 if q else 3)]
    sgold = [s >= 4 for s, _, _ in sts]
    spairs = [(a, b) for _, a, b in sts]
    scos = cosines(spairs)
    sal, _, sscore = aligned_alone(pair_articles(spairs))
    from scipy.stats import spearmanr

    lines += [
        row("STS headlines (grade >= 4 vs < 2) alone: samestory", prf(sal, sgold)),
        row("STS headlines: MiniLM cosine baseline", prf([bool(c >= threshold) for c in scos], sgold)),
        "",
        f"Spearman with the STS grade ({len(sts)} pairs): samestory pair score {spearmanr(sscore, [s for s, _, _ in sts])[0]:.3f}, "
        f"MiniLM cosine {spearmanr(scos, [s for s, _, _ in sts])[0]:.3f}.",
    ]

    # ---- conflicts: ClaimDiff-weak
    cd = json.load(open(need(EVAL / "claimdiff" / "ClaimDiff-weak-train.json"), encoding="utf-8"))["data"]
    cd = sorted(cd, key=lambda d: d["pair_id"])
    cd = cd[:300] if q else cd
    cgold = [d["relation"] == 1 for d in cd]
    cpairs = [(d["claim_a"], d["claim_b"]) for d in cd]
    ccos = cosines(cpairs)
    neg = re.compile(r"\b(?:not|no|never|n't|without|nor)\b|n't\b", re.I)
    mismatch = np.array([bool(neg.search(a)) != bool(neg.search(b)) for a, b in cpairs])
    half = len(cd) // 2
    best_t, best_f = threshold, -1.0
    for t in np.arange(0.2, 0.95, 0.01):
        f = prf(list((ccos[:half] >= t) & mismatch[:half]), cgold[:half])["f1"]
        if f > best_f:
            best_t, best_f = float(t), f
    cbase = list((ccos >= best_t) & mismatch)
    carts = pair_articles(cpairs, published=None)
    _, cflag, _ = aligned_alone(carts, tag="ClaimDiff-weak")

    # ---- conflicts: MSRP value-differing pairs (val and train) against paraphrases
    full_train = read_msrp("train")
    vpairs = [(y, a, b) for y, a, b in val if y == 1 or value_differing(a, b)]
    vpairs += [(y, a, b) for y, a, b in full_train if value_differing(a, b)]
    vgold = [y == 0 for y, _, _ in vpairs]
    vp = [(a, b) for _, a, b in vpairs]
    vc = cosines(vp)
    varts = pair_articles(vp)
    _, vconf, _ = aligned_alone(varts, tag="MSRP value pairs")
    NOTES["MSRP value pairs, by reading"] = NOTES["MSRP value pairs"]
    vrows = number_disagree(varts)
    vbase = [bool(c >= threshold) and bool(set(_DIGITS.findall(a)) ^ set(_DIGITS.findall(b))) for c, (a, b) in zip(vc, vp)]
    # the same pairs by reading (bench/judged/msrp_value_pairs.tsv): a pair the file does not hold
    # differs in no written number; one of those that is flagged is listed and counted as wrong
    ids, judged = msrp_ids(), read_judged()
    verdicts = [judged.get(ids[(a, b)], "not" if not value_differing(a, b) else "unjudged") for a, b in vp]
    rgold = [v == "conflict" for v in verdicts]
    unjudged = sorted({ids[vp[k]] for k in range(len(vp)) if (vconf[k] or vrows[k] or NOTES["MSRP value pairs"][k])
                       and verdicts[k] == "unjudged"})

    # ---- conflicts: Emergent headlines for and against one claim
    ep = emergent_pairs(2 if q else 4)
    egold = [g for g, _, _ in ep]
    epairs = [(a, b) for _, a, b in ep]
    ecos = cosines(epairs)
    emismatch = np.array([bool(neg.search(a)) != bool(neg.search(b)) for a, b in epairs])
    ebase = list((ecos >= best_t) & emismatch)
    _, econf, _ = aligned_alone(pair_articles(epairs), tag="Emergent")
    lines += [
        "",
        "### Conflicts and number disagreements",
        "",
        "| set / method | pairs | flagged | precision | recall | F1 | accuracy |",
        "|---|---|---|---|---|---|---|",
        row("ClaimDiff-weak: samestory conflicting group", prf(cflag, cgold)),
        row(f"ClaimDiff-weak: baseline cosine >= {best_t:.2f} and one-sided negation", prf(cbase, cgold)),
        row(f"MSRP value pairs ({sum(vgold)} conflicts vs {len(vgold) - sum(vgold)} paraphrases): samestory conflicting group",
            prf(vconf, vgold)),
        row("MSRP value pairs: samestory number row 'disagree'", prf(vrows, vgold)),
        row("MSRP value pairs: baseline cosine >= t and a number on one side only", prf(vbase, vgold)),
        row(f"MSRP value pairs by reading ({sum(rgold)} conflicts; 'unclear' {verdicts.count('unclear')} counted as not): "
            "samestory conflicting group", prf(vconf, rgold)),
        row("MSRP value pairs by reading: samestory number row 'disagree'", prf(vrows, rgold)),
        row("MSRP value pairs by reading: baseline cosine >= t and a number on one side only", prf(vbase, rgold)),
        row(f"Emergent headlines ({sum(egold)} for-vs-against vs {len(egold) - sum(egold)} same-stance pairs): "
            "samestory conflicting group", prf(econf, egold)),
        row(f"Emergent: baseline cosine >= {best_t:.2f} and one-sided negation", prf(ebase, egold)),
        "",
        f"Flagged MSRP value pairs the reading file does not hold (counted as wrong): {len(unjudged)}"
        + (f" ({', '.join('/'.join(p) for p in unjudged)})" if unjudged else "") + ".",
        "",
        "",
        "Each finding type with every type switched on (aligned pairs only; ConflictConfig shows a type only at "
        "precision >= 0.80 on the tune half, SHA-1 of the pair's text even; the report half is measured, not chosen on):",
        "",
        "| set | type | tune: flagged | tune: precision | report: flagged | report: precision |",
        "|---|---|---|---|---|---|",
        *by_type("ClaimDiff-weak", cgold, [a + "\t" + b for a, b in cpairs]),
        *by_type("MSRP value pairs", vgold, [a + "\t" + b for a, b in vp]),
        *by_type("MSRP value pairs, by reading", rgold, [a + "\t" + b for a, b in vp]),
        *by_type("Emergent", egold, [a + "\t" + b for a, b in epairs]),
        "",
        f"Flagged on MSRP val label-0 pairs that are not value pairs (not scored): conflicting groups "
        f"{sum(alone_conflict[k] for k in range(len(val)) if not gold[k] and not value_differing(*pairs[k]))}, number rows "
        f"{sum(number_rows[k] for k in range(len(val)) if not gold[k] and not value_differing(*pairs[k]))}.",
    ]

    # ---- citation support
    sp = superpal_pairs(250 if q else None)
    sgold2 = [g for g, _, _ in sp]
    ssup = support_check(sp)
    spcos = cosines([(s, d) for _, s, d in sp])
    m = prf(ssup, sgold2)
    mb = prf([bool(c >= threshold) for c in spcos], sgold2)
    halves = {want: [k for k, (_, s, _) in enumerate(sp) if tune_half(s) == want] for want in (True, False)}
    mt, mr = (prf([ssup[k] for k in halves[w]], [sgold2[k] for k in halves[w]]) for w in (True, False))
    lines += [
        "",
        "### Citation support (SuperPAL: aligned source sentence vs another of the same topic)",
        "",
        "| method | pairs | accepted | precision | recall | F1 | accuracy |",
        "|---|---|---|---|---|---|---|",
        row("summary.verify_citation", m),
        row("summary.verify_citation, tune half (summary sentence's SHA-1 even; support_probability chosen here)", mt),
        row("summary.verify_citation, report half", mr),
        row("MiniLM cosine baseline", mb),
        "",
        f"Unsupported among accepted citations: samestory {1 - m['p']:.3f} (report half {1 - mr['p']:.3f}), "
        f"baseline {1 - mb['p']:.3f}.",
        "",
        "### Whole stories (WikiNews events, 3-6 articles, first 6,000 characters each)",
        "",
        *wikinews(3 if q else 6),
        "",
        "Reading the sets: ClaimDiff-weak's relation 1 is one outlet's claim weakening another's stance "
        "(\"a more successful convention\" against \"Trump's campaign is appealing to GOP colleagues\"), "
        "nearly never one fact told with two values; its closest pairs are relation 0 (one of them, "
        "\"chairman in April\" vs \"in March\", is a factual clash by reading). A conflict detector that "
        "shows only incompatible facts flags (almost) none of it: precision there stays undefined, and the "
        "false-conflict count on its 1,660 relation-0 pairs is the figure that holds. MSRP labels a pair "
        "paraphrase (1) even when the two differ in a figure, so conflicts real by reading (an age 30 vs "
        "32, 2.5 vs 2.7 million jobs, 40 vs 43 percent, the rest word for word) count as false here, and "
        "nearly every label-0 value pair is a market reading at another hour or day (\"up 12.81 by late "
        "afternoon\" vs \"down 8.76 in morning trading\"), which the same-moment rule rightly does not call a "
        "conflict (opposite terms now obey it too). The number-conflict type stays on although its "
        "MSRP-label precision is under the floor; polarity (0 right by either reading) is off.",
        "",
        f"Run time {time.perf_counter() - t_start:.0f} s.",
    ]
    record(args.name + (" (quick)" if q else ""), lines)


if __name__ == "__main__":
    main()
