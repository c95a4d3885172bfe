"""Loaded-language detector on BABE / MBIC (../shared/eval/babe-mbic): sentence-level biased vs
non-biased F1 and word-level recall of the annotated biased words.

Two systems:
* lexicon baseline: a sentence's score is the weighted count of lexicon matches, no rules;
* detector: the same lexicon with the contextual rules of ``compare.framing`` (person-scoped words
  need a person, names and nouns-for-verbs dropped), counting either the writer's voice only
  (words in quotations and reported speech left out, as the framing view reports them) or all voices.

A sentence is called biased when its score reaches a threshold. The threshold is chosen on SG1
(1,700 sentences, expert labels) for each system and then applied unchanged to the SG2
sentences not in SG1 (held out), all of SG2, and MBIC (the SG1 sentences with crowd labels).
"No agreement" sentences are left out. Anchor: DA-RoBERTa, F1 0.814 (5-fold CV on BABE).

    .venv/bin/python bench/framing.py            # everything, about a minute of parsing
    .venv/bin/python bench/framing.py --limit 500
"""

from __future__ import annotations

import argparse
import ast
import csv
import re
import sys
import time
import zipfile
import xml.etree.ElementTree as ET

from _common import EVAL, need, peak_rss_mb, record

DATA = EVAL / "babe-mbic" / "data"
THRESHOLDS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
LABELS = {"Biased": 1, "Non-biased": 0}


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return [r for r in rows if r.get("label_bias") in LABELS and (r.get("text") or "").strip()]


def read_xlsx(path):
    """The first sheet of an .xlsx as dicts (header row first); standard library only."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        strings = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                strings.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    table = []
    for row in sheet.iter("{%s}row" % ns["m"]):
        cells = {}
        for c in row.findall("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group()
            v = c.find("m:v", ns)
            if v is None:
                inline = c.find("m:is", ns)
                val = "".join(t.text or "" for t in inline.iter("{%s}t" % ns["m"])) if inline is not None else ""
            elif c.get("t") == "s":
                val = strings[int(v.text)]
            else:
                val = v.text or ""
            cells[col] = val
        table.append(cells)
    header = table[0]
    out = []
    for cells in table[1:]:
        out.append({header[k]: v for k, v in cells.items() if k in header})
    return [r for r in out if r.get("label_bias") in LABELS and (r.get("text") or "").strip()]


def annotated_words(raw: str) -> list[str]:
    try:
        words = ast.literal_eval(raw or "[]")
    except (ValueError, SyntaxError):
        return []
    return [w.strip().lower() for w in words if isinstance(w, str) and w.strip()]


def prf(gold, pred):
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    tn = len(gold) - tp - fp - fn
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    p0 = tn / (tn + fn) if tn + fn else 0.0
    r0 = tn / (tn + fp) if tn + fp else 0.0
    f0 = 2 * p0 * r0 / (p0 + r0) if p0 + r0 else 0.0
    return {"p": p, "r": r, "f1": f, "macro": (f + f0) / 2, "acc": (tp + tn) / len(gold) if gold else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences of each set (quick look)")
    args = ap.parse_args()

    sg1 = read_csv(need(DATA / "final_labels_SG1.csv"))
    sg2 = read_csv(need(DATA / "final_labels_SG2.csv"))
    mbic_path = DATA / "final_labels_MBIC.csv"
    mbic = read_csv(mbic_path) if mbic_path.exists() else read_xlsx(need(DATA / "final_labels_MBIC.xlsx"))
    if args.limit:
        sg1, sg2, mbic = sg1[: args.limit], sg2[: args.limit], mbic[: args.limit]
    sg1_texts = {r["text"].strip() for r in sg1}
    held_out = [r for r in sg2 if r["text"].strip() not in sg1_texts]

    from samestory.compare.framing import find_loaded, load_lexicon, sentence_score
    from samestory.enrich.models import load_spacy

    lexicon = load_lexicon()
    nlp = load_spacy()
    texts = sorted({r["text"].strip() for rows in (sg1, sg2, mbic) for r in rows})
    t0 = time.perf_counter()
    base_hits = {t: find_loaded(t, contextual=False, lexicon=lexicon) for t in texts}
    det_hits = {t: [] for t in texts}
    matched = [t for t in texts if base_hits[t]]  # the rules only ever remove or relabel matches: parse just these
    for text, doc in zip(matched, nlp.pipe(matched, batch_size=64)):
        det_hits[text] = find_loaded(text, doc=doc, lexicon=lexicon, include_quoted=True)
    secs = time.perf_counter() - t0

    every_voice = ("outlet", "scare-quoted", "attributed", "quoted")
    systems = {
        "lexicon baseline": {t: sentence_score(h) for t, h in base_hits.items()},
        "detector, writer's voice only": {t: sentence_score(h) for t, h in det_hits.items()},
        "detector, all voices": {t: sentence_score(h, every_voice) for t, h in det_hits.items()},
    }
    sets = [("SG1 (dev: threshold chosen here)", sg1), ("SG2 minus SG1 (held out)", held_out), ("SG2 (all BABE)", sg2), ("MBIC (crowd labels)", mbic)]

    lines = [
        f"Data: BABE SG1 {len(sg1)}, SG2 {len(sg2)} ({len(held_out)} not in SG1), MBIC {len(mbic)} sentences "
        "labelled Biased/Non-biased (\"No agreement\" left out). Source: Spinde et al. 2021, github.com/Media-Bias-Group (AGPL-3.0).",
        f"Lexicon: {len(lexicon)} entries written for samestory (`src/samestory/compare/lexicon/loaded.tsv`), not derived from BABE/MBIC.",
        "Decision rule: biased when the weighted count of loaded words (insults, labels, sensational, evaluative, "
        "emotional, informal 1.0; intensifiers and hedges 0.5) reaches the threshold chosen on SG1 from 0.5-3.0.",
        "",
        "| system | threshold | set | P (biased) | R (biased) | F1 (biased) | macro F1 | accuracy |",
        "|---|---|---|---|---|---|---|---|",
    ]
    chosen = {}
    for name, scores in systems.items():
        gold = [LABELS[r["label_bias"]] for r in sg1]
        best = max(THRESHOLDS, key=lambda th: prf(gold, [scores[r["text"].strip()] >= th for r in sg1])["f1"])
        chosen[name] = best
        for set_name, rows in sets:
            gold = [LABELS[r["label_bias"]] for r in rows]
            m = prf(gold, [scores[r["text"].strip()] >= best for r in rows])
            lines.append(f"| {name} | {best:g} | {set_name} | {m['p']:.3f} | {m['r']:.3f} | {m['f1']:.3f} | {m['macro']:.3f} | {m['acc']:.3f} |")
    lines.append("| DA-RoBERTa (anchor, published) | - | BABE, 5-fold CV | - | - | 0.814 | - | - |")
    lines.append("")

    # word level: annotated biased words found inside a hit, over biased sentences of all BABE (SG2)
    lines += ["| system | annotated words (SG2 biased sentences) | recall | hit precision* |", "|---|---|---|---|"]
    for name, hits_by in (("lexicon baseline", base_hits), ("detector, writer's voice only", det_hits)):
        total = found = hit_total = hit_ok = 0
        for r in sg2:
            if r["label_bias"] != "Biased":
                continue
            words = annotated_words(r.get("biased_words", ""))
            if not words:
                continue
            hits = [h for h in hits_by[r["text"].strip()] if h.voice in ("outlet", "scare-quoted")]
            hit_tokens = {t.lower().replace("’", "'") for h in hits for t in re.findall(r"[\w'’-]+", h.text)}
            total += len(words)
            found += sum(1 for w in words if any(t in hit_tokens for t in re.findall(r"[\w'’-]+", w.replace("’", "'"))))
            for h in hits:
                hit_total += 1
                toks = {t.lower().replace("’", "'") for t in re.findall(r"[\w'’-]+", h.text)}
                hit_ok += any(t in toks for w in words for t in re.findall(r"[\w'’-]+", w.replace("’", "'")))
        lines.append(f"| {name} | {total} | {found / total:.3f} | {hit_ok / hit_total if hit_total else 0:.3f} |")
    lines.append("")
    lines.append("*hit precision: share of the system's hits in annotated biased sentences that cover an annotated word "
                 "(annotators mark only some loaded words, so this understates precision).")
    lines.append("Systems: the baseline counts every lexicon match; the detector applies the contextual rules (scope, names, "
                 "parts of speech) and, in the writer's-voice variant, also leaves out words in quotations and reported speech, "
                 "which is what samestory's framing view reports; the all-voices variant counts them again (BABE labels a sentence "
                 "biased even when the loaded word is quoted).")
    lines.append("Development: the lexicon was written first; on SG1 only, the scope of eleven entries was widened (e.g. "
                 "'dangerous', 'destroy' are loaded whoever they describe) after looking at what the rules dropped. SG2-minus-SG1 and "
                 "MBIC were not looked at.")
    lines.append(f"Time: {len(texts)} sentences scored ({len(matched)} with a match parsed by spaCy) in {secs:.1f} s "
                 f"({len(texts) / secs:.0f} sentences/s on a shared 2-core machine); "
                 f"peak RSS {peak_rss_mb():.0f} MiB.")
    lines.append("Reading: a hand-written lexicon reaches F1 about 0.6 against the neural anchor's 0.81: it finds the loudest words "
                 "(labels, insults, sensational verbs) but much of BABE's bias is carried by ordinary words in context, which no word "
                 "list sees. The contextual rules trade recall for precision (biased-class precision up 3-5 points on every set), "
                 "so on these sentence labels the plain lexicon has the higher F1; the rules exist for the framing view, where "
                 "telling the writer's words from a quoted speaker's matters more than sentence recall.")
    record("framing", lines)


if __name__ == "__main__":
    sys.exit(main())
