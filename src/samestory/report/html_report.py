"""The self-contained HTML report: inline CSS, no JavaScript, no external resources.

Laid out side by side: the outlets' articles are the columns and aligned claims the rows
(shared / unique / conflicting styled apart); then quote variants with word diffs
(``<ins>``/``<del>``), the numbers table with disagreements flagged, omissions, framing with
loaded words highlighted, and every article's full clean text with its sentences anchored
(``#ev-<article>-<start>-<end>``) so the summary's citations link to the sentence they cite,
followed by its removal log.

Every piece of article-derived text goes through ``e()`` (``html.escape``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from samestory.models import Article, Coverage, Evidence
from samestory.report import people
from samestory.report._common import STATUS_RANK, article_index, canonical_of, claim_counts, claims_in_order, status_label

__all__ = ["render_html", "anchor_id"]


def e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def anchor_id(article_pos: int, start: int, end: int) -> str:
    """The element id of a span of article number ``article_pos`` (its index in the coverage)."""
    return f"ev-{article_pos}-{start}-{end}"


CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1240px;box-sizing:border-box;padding:1rem 1.5rem;color:#1d1d1f;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}h2{margin-top:2rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}
.meta{color:#555;overflow-wrap:anywhere}.meta b{color:#111}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f4f4f6;position:sticky;top:0}
tr.shared td.status{background:#e3f4e6}tr.unique td.status{background:#f1f1f4}tr.conflicting td.status{background:#fde2e1}
tr.conflicting td{border-color:#e9a29d}td.absent{color:#aaa;text-align:center}td.copy{color:#777;font-style:italic}
.badge{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:.6rem;background:#eee;margin-right:.2rem}
.badge.shared{background:#bfe6c6}.badge.unique{background:#ddd}.badge.conflicting{background:#f5b5b0}
.note{display:block;color:#a3261c;font-size:.85rem}
ins{background:#d4f7d4;text-decoration:none}del{background:#fbd3d0}
tr.disagree td,tr.update td{background:#fff4d6}.flag{color:#a3261c;font-weight:600}
mark.loaded{background:#ffe08a;padding:0 .1rem}mark.loaded.headline{background:#ffc857}
.summary li{margin:.3rem 0}.cite{font-size:.8rem;margin-left:.25rem}
.articles{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:1rem}
.article{overflow-wrap:anywhere;min-width:0;border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem;background:#fcfcfd}
.article p{margin:.5rem 0}.claim.shared{background:#eaf7ec}.claim.conflicting{background:#fde7e5}
.claim:target,a:target+span{outline:2px solid #2b6cb0}
.scroll{overflow-x:auto;max-width:100%}table.claims{min-width:720px}table.claims td{min-width:9rem}
.headlines{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.6rem;margin:.6rem 0}
.headline{border:1px solid #ddd;border-radius:6px;padding:.45rem .6rem;background:#fcfcfd}.headline .outlet{font-weight:600;font-size:.85rem}
.headline .title{display:block;margin:.2rem 0}.headline.copy{background:#f6f6f6;color:#555}.headline time{display:block;font-size:.8rem;color:#666}
.balance{display:flex;height:1.2rem;border-radius:4px;overflow:hidden;max-width:36rem;margin:.3rem 0;border:1px solid #ccc}
.balance span{display:block;flex:1;border-right:1px solid #fff;font-size:.75rem;line-height:1.2rem;text-align:center;color:#fff;white-space:nowrap;overflow:hidden}
.balance .left{background:#2f6db5}.balance .centre{background:#8a8a8a}.balance .right{background:#c0392b}.balance .unknown{background:#d8d8d8;color:#333}
.blindspot{display:inline-block;background:#fff1c2;border:1px solid #e0b400;border-radius:4px;padding:.1rem .4rem;font-weight:600}
.timeline li{margin:.25rem 0}.timeline time{white-space:nowrap;font-weight:600}.kind{font-size:.8rem;background:#eef;border-radius:.5rem;padding:0 .35rem}
details{margin:.5rem 0}.removed li{color:#666;font-size:.85rem}.reason{font-weight:600;color:#333}
"""


def _markup(text: str, wraps: Iterable[tuple[int, int, str, str]], anchors: Iterable[tuple[int, str]] = ()) -> str:
    """``text`` escaped, with properly nested wraps ``(start, end, open_tag, close_tag)`` and
    zero-width anchors ``(position, id)``. A wrap that would cross an open one is dropped."""
    wraps = sorted((w for w in wraps if 0 <= w[0] < w[1] <= len(text)), key=lambda w: (w[0], -w[1]))
    starts: dict[int, list[str]] = {}
    for pos, ident in anchors:
        if 0 <= pos <= len(text):
            starts.setdefault(pos, []).append(f'<a id="{e(ident)}"></a>')
    out: list[str] = []
    stack: list[tuple[int, str]] = []  # (end, close_tag)
    pos = 0
    events = sorted(set([w[0] for w in wraps] + [w[1] for w in wraps] + list(starts) + [len(text)]))
    wi = 0
    for point in events:
        # emit text up to point, closing wraps that end on the way
        while pos < point:
            nxt = min([point] + [end for end, _ in stack if end > pos])
            out.append(e(text[pos:nxt]))
            pos = nxt
            while stack and stack[-1][0] <= pos:
                out.append(stack.pop()[1])
        while stack and stack[-1][0] <= pos:
            out.append(stack.pop()[1])
        out.extend(starts.pop(pos, []))
        while wi < len(wraps) and wraps[wi][0] == pos:
            start, end, open_tag, close_tag = wraps[wi]
            wi += 1
            if stack and end > stack[-1][0]:
                continue  # would cross an open wrap
            out.append(open_tag)
            stack.append((end, close_tag))
    while stack:
        out.append(stack.pop()[1])
    return "".join(out)


def _cite_link(ev: Evidence, idx: dict[str, int], label: str | None = None) -> str:
    k = idx.get(ev.article_id)
    text = e(label if label is not None else ev.outlet)
    if k is None:
        return f'<span class="cite">{text}</span>'
    return f'<a class="cite" href="#{anchor_id(k, ev.start, ev.end)}" title="{e(ev.text)}">{text}</a>'


def _header(coverage: Coverage, profiles=None) -> list[str]:
    s = coverage.story
    counts = claim_counts(coverage)
    details = (f'<span class="badge unique">{people.plural(counts["detail"], "unique detail")}</span>'
               if counts["detail"] else "")
    published = ""
    if s.first_published:
        published = f" · published <time>{e(people.readable_date(s.first_published))}</time>"
        if s.last_published and s.last_published != s.first_published:
            published += f" to <time>{e(people.readable_date(s.last_published))}</time>"
    out = [
        f"<h1>{e(people.neutral_title(coverage)) or 'Untitled story'}</h1>",
        f'<p class="meta"><b>{e(people.plural(s.sources, "article"))}</b> from '
        f'<b>{e(people.plural(s.independent_sources, "independent source"))}</b> · '
        f"outlets: {', '.join(e(o) for o in s.outlets)}{published}</p>",
        f'<p class="meta">Claims: <span class="badge shared">{counts["shared"]} shared</span>'
        f'<span class="badge unique">{counts["unique"]} unique</span>'
        f'<span class="badge conflicting">{counts["conflicting"]} conflicting</span>{details} · story <code>{e(s.id)}</code></p>',
    ]
    out += balance_html(people.balance(coverage, profiles))
    out += _headlines(coverage)
    return out


def balance_html(bal) -> list[str]:
    """The coverage-balance bar (one segment per side, width by outlets) and the blindspot flag."""
    if bal is None:
        return []
    # one equal block per outlet (no inline styles: the web's CSP forbids them), ordered left to right
    labels = {"left": "L", "centre": "C", "right": "R", "unknown": "?"}
    segments = "".join(f'<span class="{side}" title="{e(name)} ({e(side if side != "unknown" else "unprofiled")})">'
                       f"{labels[side]}</span>" for side in ("left", "centre", "right", "unknown")
                       for name in bal.outlets[side])
    out = [f'<div class="balance" role="img" aria-label="{e(bal.sentence())}">{segments}</div>',
           f'<p class="meta balance-text">{e(bal.sentence().split(" Blindspot:")[0])}</p>']
    if bal.blindspot:
        out.append(f'<p class="blindspot-line"><span class="blindspot">Blindspot</span> no {e(bal.blindspot)}-leaning '
                   f'outlet covers this story. <small>{e(people.BLINDSPOT_RULE)}</small></p>')
    return out


def _headlines(coverage: Coverage) -> list[str]:
    out = ['<h2 id="headlines">Headlines</h2>', '<div class="headlines">']
    for h in people.headlines(coverage):
        copy = f' <small class="copy-of">copy of {e(h.copy_of)}</small>' if h.copy_of else ""
        cls = "headline copy" if h.copy_of else "headline"
        out.append(f'<div class="{cls}"><span class="outlet">{e(h.outlet)}</span>{copy}'
                   f'<span class="title">{e(h.title)}</span><time>{e(h.published or "undated")}</time></div>')
    out.append("</div>")
    return out


def _timeline(coverage: Coverage) -> list[str]:
    out = ['<h2 id="timeline">Timeline</h2>']
    for day in people.timeline(coverage):
        out.append(f"<h3>{e(day.day)}</h3><ul class=\"timeline\">")
        for item in day.items:
            who = "; ".join(f"<b>{e(h.outlet)}</b>: {e(h.title)}" + (f" <small>(copy of {e(h.copy_of)})</small>" if h.copy_of else "")
                            for h in item.articles)
            new = f" · first with {e(people.plural(item.new_claims, 'claim'))}" if item.new_claims else ""
            when = e(item.time.split(", ", 1)[-1]) if item.time else "undated"
            out.append(f'<li><time>{when}</time> <span class="kind">{e(item.kind)}</span>{new} {who}</li>')
        out.append("</ul>")
    return out


def _summary(coverage: Coverage, idx: dict[str, int]) -> list[str]:
    out = ['<h2 id="summary">Summary</h2>']
    if not coverage.summary:
        return out + ["<p><em>No sentence could be verified against its sources.</em></p>"]
    out.append('<ol class="summary">')
    for s in coverage.summary:
        cites = " ".join(_cite_link(c, idx) for c in s.citations)
        out.append(f"<li>{e(s.text)} <span class=\"cites\">[{cites}]</span></li>")
    out.append("</ol>")
    return out


def _claims(coverage: Coverage, idx: dict[str, int]) -> list[str]:
    arts = coverage.articles
    out = ['<h2 id="claims">Claims, outlet by outlet</h2>', '<div class="scroll"><table class="claims"><thead><tr><th>status</th>']
    out += [f"<th>{e(a.outlet)}<br><small>{e(a.title)}</small></th>" for a in arts]
    out.append("</tr></thead><tbody>")
    for g in claims_in_order(coverage):
        by_article = {ev.article_id: ev for ev in g.evidence}
        note = f'<span class="note">{e(g.note)}</span>' if g.note else ""
        cells = [f'<td class="status"><span class="badge {e(g.status)}">{e(status_label(g))}</span>{note}</td>']
        for a in arts:
            ev = by_article.get(a.id)
            if ev is not None:
                cells.append(f"<td>{_cite_link(ev, idx, ev.text)}</td>")
                continue
            canonical = canonical_of(a, coverage)
            if a.outlet in g.outlets and canonical is not None and canonical.id in by_article:
                cells.append(f'<td class="copy">copy of {e(canonical.outlet)}</td>')
            else:
                cells.append('<td class="absent">—</td>')
        out.append(f'<tr class="{e(g.status)}" id="{e(g.id)}">' + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return out


def _diff_html(ops) -> str:
    parts = []
    for op, word in ops:
        w = e(word)
        parts.append(f"<del>{w}</del>" if op == "-" else f"<ins>{w}</ins>" if op == "+" else w)
    return " ".join(parts)


def _quotes(coverage: Coverage, idx: dict[str, int]) -> list[str]:
    out = ['<h2 id="quotes">Quotes</h2>']
    if not coverage.quotes:
        return out + ["<p><em>No quotes found.</em></p>"]
    out.append("<table><thead><tr><th>speaker</th><th>outlet</th><th>wording</th></tr></thead><tbody>")
    for q in coverage.quotes:
        flags = [f for f, on in (("wording differs", q.wording_differs), ("speaker differs", q.speaker_differs)) if on]
        flag = f' <span class="flag">{e("; ".join(flags))}</span>' if flags else ""
        for k, v in enumerate(q.variants):
            wording = _diff_html(v.diff) if v.diff and q.wording_differs else e(v.wording)
            speaker = e(v.speaker or q.speaker or "unknown")
            first = f"<td rowspan=\"{len(q.variants)}\"><b>{e(q.speaker or 'unknown')}</b>{flag}</td>" if k == 0 else ""
            # each outlet's own attribution where it names someone else (a finding only when speaker_differs)
            alt = f" <small>(as {speaker})</small>" if v.speaker and v.speaker != q.speaker else ""
            part = " <small>(partial quote)</small>" if getattr(v, "partial", False) else ""
            out.append(f"<tr>{first}<td>{_cite_link(v.evidence, idx)}{alt}</td><td>“{wording}”{part}</td></tr>")
    out.append("</tbody></table>")
    return out


def _numbers(coverage: Coverage, idx: dict[str, int]) -> list[str]:
    out = ['<h2 id="numbers">Numbers and dates</h2>']
    if not coverage.numbers:
        return out + ["<p><em>No numbers to compare.</em></p>"]
    out.append("<table><thead><tr><th>subject</th><th>attribute</th><th>status</th><th>values</th></tr></thead><tbody>")
    for row in coverage.numbers:
        status = e(row.status)
        if row.status in ("disagree", "update"):
            status = f'<span class="flag">{status}</span>'
        values = "<br>".join(f"{e(v.outlet)}: {_cite_link(v.evidence, idx, v.value)}" for v in row.values)
        out.append(f'<tr class="{e(row.status)}"><td>{e(row.subject)}</td><td>{e(row.attribute)}</td><td>{status}</td><td>{values}</td></tr>')
    out.append("</tbody></table>")
    return out


def _omissions(coverage: Coverage, idx: dict[str, int]) -> list[str]:
    out = ['<h2 id="omissions">Omissions</h2>']
    omissions = people.omissions_shown(coverage)
    if not omissions:
        return out + ["<p><em>No outlet leaves out what most others carry.</em></p>"]
    groups = {g.id: g for g in coverage.claims}
    current = None
    for o in omissions:
        if o.outlet != current:
            if current is not None:
                out.append("</ul>")
            current = o.outlet
            out.append(f"<h3>{e(o.outlet)} leaves out</h3><ul>")
        target = f'<a href="#{e(o.claim_group)}">{e(o.text)}</a>' if o.claim_group in groups else e(o.text)
        out.append(f"<li>{target} <small>(carried by {', '.join(e(x) for x in o.carried_by)}: {o.weight:.0%} of the other independent sources)</small></li>")
    out.append("</ul>")
    return out


def _framing(coverage: Coverage) -> list[str]:
    out = ['<h2 id="framing">Framing</h2>']
    if not coverage.framing:
        return out + ["<p><em>No framing analysis.</em></p>"]
    idx = article_index(coverage)
    findings = people.attribution_findings(coverage)
    for f in coverage.framing:
        items = []
        if f.headline_loaded:
            items.append("<li>Loaded words in the headline: " + ", ".join(f'<mark class="loaded headline">{e(w)}</mark>' for w in f.headline_loaded) + ".</li>")
        headline_only = getattr(f, "headline_only", ())
        if headline_only:
            items.append("<li>Only the headline uses: " + ", ".join(e(w) for w in headline_only) + ".</li>")
        body = [w for w in f.loaded if not w.in_headline]
        if body:
            words = []
            for w in body:
                detail = ", ".join(x for x in (w.category, f"about {w.target}" if w.target else "",
                                               getattr(w, "voice", "") if getattr(w, "voice", "outlet") != "outlet" else "") if x)
                words.append(f'{_cite_link(w.evidence, idx, w.word)} <small>({e(detail)})</small>')
            items.append("<li>Loaded words in the text: " + ", ".join(words) + ".</li>")
        tone = people.tone_sentence(f.tone)
        if tone:
            items.append(f"<li>{e(tone)}</li>")
        for finding in findings.get(f.outlet, []):
            link = f" [{_cite_link(finding.evidence, idx, 'evidence')}]" if finding.evidence else ""
            items.append(f"<li>{e(finding.sentence)}{link}</li>")
        for note in getattr(f, "notes", ()):
            items.append(f"<li>{e(note[:1].upper() + note[1:])}.</li>")
        if not items:
            items.append("<li>No loaded words found.</li>")
        out.append(f"<h3>{e(f.outlet)}</h3><ul>" + "".join(items) + "</ul>")
    return out


def _article_text(k: int, a: Article, coverage: Coverage) -> str:
    """The clean text with claim sentences anchored and styled, loaded words marked, and an
    anchor at every other span the report links to; paragraphs kept."""
    status_of: dict[tuple[int, int], str] = {}
    for g in coverage.claims:
        for ev in g.evidence:
            if ev.article_id == a.id:
                key = (ev.start, ev.end)
                if STATUS_RANK.get(g.status, 0) >= STATUS_RANK.get(status_of.get(key, "unique"), 0):
                    status_of[key] = g.status
    wraps = [(s, t, f'<span class="claim {e(st)}" id="{anchor_id(k, s, t)}">', "</span>") for (s, t), st in status_of.items()]
    linked: list[Evidence] = [c for s in coverage.summary for c in s.citations]
    linked += [v.evidence for q in coverage.quotes for v in q.variants]
    linked += [v.evidence for r in coverage.numbers for v in r.values]
    anchors = {(ev.start, anchor_id(k, ev.start, ev.end)) for ev in linked
               if ev.article_id == a.id and (ev.start, ev.end) not in status_of}
    for f in coverage.framing:
        for w in f.loaded:
            if w.evidence.article_id == a.id and not w.in_headline:
                wraps.append((w.evidence.start, w.evidence.end, f'<mark class="loaded" title="{e(w.category)}">', "</mark>"))
                anchors.add((w.evidence.start, anchor_id(k, w.evidence.start, w.evidence.end)))
    body = _markup(a.text, wraps, sorted(anchors))
    paragraphs = [p for p in body.split("\n") if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _title(k: int, a: Article, coverage: Coverage) -> str:
    wraps = []
    anchors = []
    for f in coverage.framing:
        for w in f.loaded:
            if w.evidence.article_id == a.id and w.in_headline:
                wraps.append((w.evidence.start, w.evidence.end, f'<mark class="loaded headline" title="{e(w.category)}">', "</mark>"))
                anchors.append((w.evidence.start, f"title-{anchor_id(k, w.evidence.start, w.evidence.end)}"))
    return _markup(a.title, wraps, anchors)


def _articles(coverage: Coverage) -> list[str]:
    out = ['<h2 id="articles">Articles</h2>', '<div class="articles">']
    for k, a in enumerate(coverage.articles):
        meta = " · ".join(e(x) for x in (people.readable_date(a.published), a.author and f"by {a.author}", a.url) if x)
        dup = ""
        if a.duplicate is not None:
            canonical = canonical_of(a, coverage)
            of = e(canonical.outlet) if canonical else e(a.duplicate.canonical_id)
            kind = "new version" if a.duplicate.kind == "version" else f"{e(a.duplicate.kind)} copy"
            dup = f"<p class=\"meta\">A {kind} of {of} ({a.duplicate.similarity:.0%} similar)</p>"
        removed = "".join(f'<li><span class="reason">{e(r.reason)}</span>: {e(r.text)}</li>' for r in a.removed)
        out.append(
            f'<article class="article" id="article-{k}"><h3>{e(a.outlet)}</h3><h4>{_title(k, a, coverage)}</h4>'
            f'<p class="meta">{meta}</p>{dup}{_article_text(k, a, coverage)}'
            f"<details><summary>Removed while cleaning: {e(people.plural(len(a.removed), 'passage'))}</summary>"
            f'<ul class="removed">{removed}</ul></details></article>'
        )
    out.append("</div>")
    return out


def render_html(coverage: Coverage, profiles=None) -> str:
    idx = article_index(coverage)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(people.neutral_title(coverage)) or 'samestory report'} · samestory</title>",
             f"<style>{CSS}</style></head><body>"]
    parts += _header(coverage, profiles)
    parts.append('<nav class="meta"><a href="#headlines">headlines</a> · <a href="#timeline">timeline</a> · '
                 '<a href="#summary">summary</a> · <a href="#claims">claims</a> · '
                 '<a href="#quotes">quotes</a> · <a href="#numbers">numbers</a> · <a href="#omissions">omissions</a> · '
                 '<a href="#framing">framing</a> · <a href="#articles">articles</a></nav>')
    parts += _timeline(coverage)
    parts += _summary(coverage, idx)
    parts += _claims(coverage, idx)
    parts += _quotes(coverage, idx)
    parts += _numbers(coverage, idx)
    parts += _omissions(coverage, idx)
    parts += _framing(coverage)
    parts += _articles(coverage)
    parts.append('<footer class="meta"><p>Made by samestory. Every finding links to the sentence that states it.</p></footer>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
