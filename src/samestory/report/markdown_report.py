"""The Markdown report: story header, cited summary, claims, quotes with diffs, numbers,
omissions, framing, and every article with its removal log.

Article text is untrusted: ``md()`` escapes HTML (Markdown viewers pass raw HTML through) and
the characters Markdown would read as markup, and keeps table cells on one line.
"""

from __future__ import annotations

import html
import re

from samestory.models import Coverage
from samestory.report._common import article_index, canonical_of, claims_in_order, fmt_weight

__all__ = ["render_markdown", "md"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md(text: object) -> str:
    """``text`` safe inside Markdown (also inside a table cell)."""
    s = html.escape(str(text) if text is not None else "", quote=False)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return re.sub(r"\s*\n\s*", " ", s).strip()


def _diff(ops) -> str:
    parts = []
    for op, word in ops:
        w = md(word)
        parts.append(f"~~{w}~~" if op == "-" else f"**{w}**" if op == "+" else w)
    return " ".join(parts)


def render_markdown(coverage: Coverage) -> str:
    story = coverage.story
    idx = article_index(coverage)
    out: list[str] = [f"# {md(story.title) or 'Untitled story'}", ""]
    out.append(f"- Story: `{md(story.id)}`")
    out.append(f"- Sources: {story.sources} articles, {story.independent_sources} independent")
    out.append(f"- Outlets: {', '.join(md(o) for o in story.outlets) or '(none)'}")
    if story.first_published:
        span = md(story.first_published) + (f" to {md(story.last_published)}" if story.last_published != story.first_published else "")
        out.append(f"- Published: {span}")
    counts = {s: sum(1 for g in coverage.claims if g.status == s) for s in ("shared", "unique", "conflicting")}
    out.append(f"- Claims: {counts['shared']} shared, {counts['unique']} unique, {counts['conflicting']} conflicting")
    out.append("")

    out += ["## Summary", ""]
    if not coverage.summary:
        out.append("_No sentence could be verified against its sources._")
    for k, s in enumerate(coverage.summary, 1):
        cites = "; ".join(f"{md(c.outlet)} (article {idx.get(c.article_id, '?') + 1 if c.article_id in idx else '?'}, "
                          f"chars {c.start}-{c.end})" for c in s.citations)
        out.append(f"{k}. {md(s.text)} [{cites}]")
    out.append("")

    out += ["## Claims", "", "| # | status | claim | outlets | note |", "|---|---|---|---|---|"]
    for k, g in enumerate(claims_in_order(coverage), 1):
        out.append(f"| {k} | {g.status} | {md(g.text)} | {', '.join(md(o) for o in g.outlets)} | {md(g.note)} |")
    out.append("")

    out += ["## Quotes", ""]
    if not coverage.quotes:
        out.append("_No quotes found._")
    for q in coverage.quotes:
        flags = [f for f, on in (("wording differs", q.wording_differs), ("speaker differs", q.speaker_differs)) if on]
        out.append(f"- **{md(q.speaker or 'unknown speaker')}**: “{md(q.text)}” — {', '.join(md(o) for o in q.outlets)}"
                   + (f" _({'; '.join(flags)})_" if flags else ""))
        for v in q.variants:
            wording = _diff(v.diff) if v.diff and q.wording_differs else md(v.wording)
            speaker = f" (speaker: {md(v.speaker)})" if q.speaker_differs and v.speaker else ""
            part = " _(partial quote)_" if getattr(v, "partial", False) else ""
            out.append(f"  - {md(v.evidence.outlet)}: “{wording}”{speaker}{part}")
    out.append("")

    out += ["## Numbers", ""]
    if not coverage.numbers:
        out.append("_No numbers to compare._")
    else:
        out += ["| subject | attribute | status | values |", "|---|---|---|---|"]
        for row in coverage.numbers:
            values = "; ".join(f"{md(v.outlet)}: {md(v.value)}" for v in row.values)
            status = f"**{row.status}**" if row.status in ("disagree", "update") else row.status
            out.append(f"| {md(row.subject)} | {md(row.attribute)} | {status} | {values} |")
    out.append("")

    out += ["## Omissions", ""]
    if not coverage.omissions:
        out.append("_No outlet leaves out what most others carry._")
    current = None
    for o in coverage.omissions:
        if o.outlet != current:
            current = o.outlet
            out += ["", f"### {md(o.outlet)} leaves out", ""]
        out.append(f"- {md(o.text)} _(carried by {', '.join(md(x) for x in o.carried_by)}; weight {fmt_weight(o.weight)})_")
    out.append("")

    out += ["## Framing", ""]
    if not coverage.framing:
        out.append("_No framing analysis._")
    for f in coverage.framing:
        out += [f"### {md(f.outlet)}", ""]
        if f.headline_loaded:
            out.append(f"- Headline: {', '.join(md(w) for w in f.headline_loaded)}")
        headline_only = getattr(f, "headline_only", ())
        if headline_only:
            out.append(f"- Only in the headline: {', '.join(md(w) for w in headline_only)}")
        body = [w for w in f.loaded if not w.in_headline]
        if body:
            out.append("- Loaded words: " + ", ".join(
                f"{md(w.word)} ({md(w.category)}{', about ' + md(w.target) if w.target else ''}"
                f"{', ' + md(getattr(w, 'voice', '')) if getattr(w, 'voice', 'outlet') != 'outlet' else ''})" for w in body))
        for a in f.attributions:
            out.append("- Attribution: " + ", ".join(f"{md(k)}: {md(v)}" for k, v in a.items()))
        for note in getattr(f, "notes", ()):
            out.append(f"- {md(note)}")
        out.append("")

    out += ["## Articles", ""]
    for k, a in enumerate(coverage.articles, 1):
        out += [f"### {k}. {md(a.outlet)}: {md(a.title)}", ""]
        meta = [("id", a.id), ("url", a.url), ("published", a.published), ("author", a.author)]
        out += [f"- {name}: {md(value)}" for name, value in meta if value]
        canonical = canonical_of(a, coverage)
        if a.duplicate is not None:
            of = f"{md(canonical.outlet)} ({md(canonical.id)})" if canonical else md(a.duplicate.canonical_id)
            out.append(f"- {md(a.duplicate.kind)} copy of {of}, similarity {a.duplicate.similarity:.2f}")
        out.append(f"- Removed while cleaning: {len(a.removed)} span(s)")
        for r in a.removed:
            out.append(f"  - {md(r.reason)}: “{md(r.text)}”")
        out.append("")
        for para in (p for p in a.text.split("\n") if p.strip()):
            out.append(f"> {md(para)}")
            out.append(">")
        if out[-1] == ">":
            out.pop()
        out.append("")
    return "\n".join(out).rstrip() + "\n"
