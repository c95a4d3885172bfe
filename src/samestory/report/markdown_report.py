"""The Markdown report: story header, cited summary, claims, quotes with diffs, numbers,
omissions, framing, and every article with its removal log.

Article text is untrusted: ``md()`` escapes HTML (Markdown viewers pass raw HTML through) and
the characters Markdown would read as markup, and keeps table cells on one line.
"""

from __future__ import annotations

import html
import re

from samestory.models import Coverage
from samestory.report import people
from samestory.report._common import article_index, canonical_of, claim_counts_sentence, claims_in_order, status_label

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


def _header(coverage: Coverage, profiles) -> list[str]:
    story = coverage.story
    out: list[str] = [f"# {md(people.neutral_title(coverage)) or 'Untitled story'}", ""]
    out.append(f"- Story `{md(story.id)}`: {people.plural(story.sources, 'article')} from "
               f"{people.plural(story.independent_sources, 'independent source')}")
    out.append(f"- Outlets: {', '.join(md(o) for o in story.outlets) or 'none'}")
    if story.first_published:
        span = md(people.readable_date(story.first_published))
        if story.last_published and story.last_published != story.first_published:
            span += f" to {md(people.readable_date(story.last_published))}"
        out.append(f"- Published {span}")
    out.append(f"- Claims: {claim_counts_sentence(coverage)}")
    bal = people.balance(coverage, profiles)
    if bal is not None:
        out.append(f"- {md(bal.sentence())}")
        out.append(f"  {_bar(bal)}")
    out.append("")
    out += ["## Headlines", "", "| outlet | headline | published |", "|---|---|---|"]
    for h in people.headlines(coverage):
        outlet = md(h.outlet) + (f" (copy of {md(h.copy_of)})" if h.copy_of else "")
        out.append(f"| {outlet} | {md(h.title)} | {md(h.published) or 'undated'} |")
    out.append("")
    return out


def _bar(bal) -> str:
    """The balance as a text bar: one block per outlet, L / C / R / ? (unprofiled)."""
    return "`" + "".join(mark * bal.counts[side] for side, mark in
                         (("left", "L"), ("centre", "C"), ("right", "R"), ("unknown", "?"))) + "`"


def _timeline(coverage: Coverage) -> list[str]:
    out = ["## Timeline", ""]
    for day in people.timeline(coverage):
        out += [f"### {md(day.day)}", ""]
        for item in day.items:
            who = "; ".join(f"{md(h.outlet)}: {md(h.title)}" + (f" (copy of {md(h.copy_of)})" if h.copy_of else "")
                            for h in item.articles)
            new = f", first with {people.plural(item.new_claims, 'claim')}" if item.new_claims else ""
            when = md(item.time.split(', ', 1)[-1]) if item.time else "undated"
            out.append(f"- {when}, {item.kind}{new}: {who}")
        out.append("")
    return out


def _cite(ev, idx: dict[str, int]) -> str:
    """An evidence reference a reader can follow: outlet, article number in this report, characters."""
    where = f"article {idx[ev.article_id] + 1}, characters {ev.start}-{ev.end}" if ev.article_id in idx else "not in this report"
    return f"{md(ev.outlet)} ({where})"


def render_markdown(coverage: Coverage, profiles=None) -> str:
    idx = article_index(coverage)
    out = _header(coverage, profiles)
    out += _timeline(coverage)
    out += ["## Summary", ""]
    if not coverage.summary:
        out.append("_No sentence could be verified against its sources._")
    for k, s in enumerate(coverage.summary, 1):
        cites = "; ".join(_cite(c, idx) for c in s.citations)
        out.append(f"{k}. {md(s.text)} [{cites}]")
    out.append("")

    out += ["## Claims", "", "| # | status | claim | outlets | note |", "|---|---|---|---|---|"]
    for k, g in enumerate(claims_in_order(coverage), 1):
        out.append(f"| {k} | {status_label(g)} | {md(g.text)} | {', '.join(md(o) for o in g.outlets)} | {md(g.note)} |")
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
            # each outlet's own attribution where it names someone else (a finding only when speaker_differs)
            speaker = f" (speaker: {md(v.speaker)})" if v.speaker and v.speaker != q.speaker else ""
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
    omissions = people.omissions_shown(coverage)
    if not omissions:
        out.append("_No outlet leaves out what most others carry._")
    current = None
    for o in omissions:
        if o.outlet != current:
            current = o.outlet
            out += ["", f"### {md(o.outlet)} leaves out", ""]
        out.append(f"- {md(o.text)} _(carried by {', '.join(md(x) for x in o.carried_by)}: "
                   f"{o.weight:.0%} of the other independent sources)_")
    out.append("")

    out += ["## Framing", ""]
    if not coverage.framing:
        out.append("_No framing analysis._")
    findings = people.attribution_findings(coverage)
    for f in coverage.framing:
        out += [f"### {md(f.outlet)}", ""]
        lines = []
        if f.headline_loaded:
            lines.append(f"- Loaded words in the headline: {', '.join(md(w) for w in f.headline_loaded)}.")
        headline_only = getattr(f, "headline_only", ())
        if headline_only:
            lines.append(f"- Only the headline uses: {', '.join(md(w) for w in headline_only)}.")
        body = [w for w in f.loaded if not w.in_headline]
        if body:
            lines.append("- Loaded words in the text: " + ", ".join(
                f"{md(w.word)} ({md(w.category)}{', about ' + md(w.target) if w.target else ''}"
                f"{', ' + md(getattr(w, 'voice', '')) if getattr(w, 'voice', 'outlet') != 'outlet' else ''}; "
                f"{_cite(w.evidence, idx)})" for w in body) + ".")
        tone = people.tone_sentence(f.tone)
        if tone:
            lines.append(f"- {md(tone)}")
        for finding in findings.get(f.outlet, []):
            cite = f" [{_cite(finding.evidence, idx)}]" if finding.evidence else ""
            lines.append(f"- {md(finding.sentence)}{cite}")
        for note in getattr(f, "notes", ()):
            lines.append(f"- {md(note[:1].upper() + note[1:])}.")
        out += lines or ["- No loaded words found."]
        out.append("")

    out += ["## Articles", ""]
    for k, a in enumerate(coverage.articles, 1):
        out += [f"### {k}. {md(a.outlet)}: {md(a.title)}", ""]
        byline = [f"Published {md(people.readable_date(a.published))}" if a.published else "Undated",
                  f"by {md(a.author)}" if a.author else ""]
        out.append("- " + " ".join(x for x in byline if x) + f" (article id `{md(a.id)}`)")
        if a.url:
            out.append(f"- Address: {md(a.url)}")
        canonical = canonical_of(a, coverage)
        if a.duplicate is not None:
            of = f"{md(canonical.outlet)} ({md(canonical.id)})" if canonical else md(a.duplicate.canonical_id)
            kind = "new version" if a.duplicate.kind == "version" else f"{md(a.duplicate.kind)} copy"
            out.append(f"- A {kind} of {of} ({a.duplicate.similarity:.0%} similar)")
        out.append(f"- Removed while cleaning: {people.plural(len(a.removed), 'passage')}")
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
