"""An extractive multi-source summary in which every sentence cites the outlets that support it.

Selection is greedy set cover over claim groups:

1. shared groups first: take the claim that covers the most not-yet-covered shared groups,
   each weighted by how many independent sources carry it (a long sentence that states two
   shared facts beats two short ones);
2. then significant unique groups: those whose claim is close to the story's centroid
   (the mean of the claim embeddings), most central first.

A candidate too close to a sentence already taken (cosine >= ``REDUNDANT``) is skipped, and
conflicting groups are left out: the summary states only what no source disputes.

Every citation is checked against the text it cites: the cited span must still read as
recorded in the article, the pair score (embedding cosine + lexical, containment, entity and
number overlap, as in alignment) must reach ``CITE_THRESHOLD``, and no typed number may clash.
A sentence with no verified citation is never emitted.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from samestory.compare.claims import Alignment, ClaimInfo, TypedConflictScorer
from samestory.models import Article, Evidence, SummarySentence

__all__ = ["summarize", "verify_citation", "CITE_THRESHOLD"]

CITE_THRESHOLD = 0.50
REDUNDANT = 0.80
MAX_SHARED = 6
MAX_UNIQUE = 3
UNIQUE_CENTRALITY = 0.45  # cosine to the story centroid a unique claim needs to be "significant"

_numbers_only = TypedConflictScorer(min_overlap=2.0)  # min_overlap > 1 turns off polarity/antonym checks


def verify_citation(
    sentence: ClaimInfo,
    cited: ClaimInfo,
    alignment: Alignment,
    articles_by_id: dict[str, Article],
) -> bool:
    """Whether ``cited`` supports ``sentence``: same text at the recorded span, pair score above
    threshold (or the very same span), and no clashing number."""
    article = articles_by_id.get(cited.claim.article_id)
    if article is None or article.text[cited.claim.span.start : cited.claim.span.end] != cited.claim.text:
        return False
    if cited is sentence:
        return True
    i = next(k for k, c in enumerate(alignment.infos) if c is sentence)
    j = next(k for k, c in enumerate(alignment.infos) if c is cited)
    if float(alignment.scores[i, j]) < CITE_THRESHOLD:
        return False
    return _numbers_only(sentence, cited) is None


def summarize(articles: Sequence[Article], alignment: Alignment) -> tuple[SummarySentence, ...]:
    infos = alignment.infos
    if not infos:
        return ()
    by_id = {a.id: a for a in articles}
    is_copy = {a.id: a.duplicate is not None and a.duplicate.canonical_id != a.id for a in articles}
    # claims the model did not read (nothing in other outlets comes close: ``needs_embedding``)
    # have a zero row: they neither shape the centroid nor count as central
    read = alignment.embedded if alignment.embedded is not None else np.ones(len(infos), dtype=bool)
    centroid = alignment.embeddings[read].mean(axis=0) if read.any() else alignment.embeddings.mean(axis=0)
    norm = float(np.linalg.norm(centroid)) or 1.0
    centrality = alignment.embeddings @ (centroid / norm)

    # claim index -> the groups it is evidence of (non-conflicting only)
    covers: dict[int, list[int]] = {}
    for g, (group, members) in enumerate(zip(alignment.groups, alignment.members)):
        if group.status == "conflicting":
            continue
        for i in members:
            if not is_copy.get(infos[i].claim.article_id, False):
                covers.setdefault(i, []).append(g)

    def weight(g: int) -> float:
        return float(len({infos[i].source for i in alignment.members[g]}))

    chosen: list[tuple[int, int]] = []  # (stage, claim index)
    covered: set[int] = set()

    def redundant(i: int) -> bool:
        return any(float(alignment.embeddings[i] @ alignment.embeddings[k]) >= REDUNDANT for _, k in chosen)

    shared = {g for g, grp in enumerate(alignment.groups) if grp.status == "shared"}
    while len(chosen) < MAX_SHARED:
        best, best_key = None, None
        for i, gs in covers.items():
            gain = sum(weight(g) for g in gs if g in shared and g not in covered)
            if gain <= 0 or redundant(i):
                continue
            key = (gain, float(centrality[i]), -infos[i].article_index, -infos[i].claim.span.start)
            if best_key is None or key > best_key:
                best, best_key = i, key
        if best is None:
            break
        chosen.append((0, best))
        covered.update(covers[best])

    unique = sorted(
        (i for i, gs in covers.items()
         if any(alignment.groups[g].status == "unique" and g not in covered for g in gs)
         and centrality[i] >= UNIQUE_CENTRALITY),
        key=lambda i: -float(centrality[i]),
    )
    taken_unique = 0
    for i in unique:
        if taken_unique >= MAX_UNIQUE:
            break
        if redundant(i) or all(g in covered for g in covers[i]):
            continue
        chosen.append((1, i))
        covered.update(covers[i])
        taken_unique += 1

    # reading order: shared facts first, each stage in story order
    chosen.sort(key=lambda x: (x[0], infos[x[1]].position, infos[x[1]].article_index))
    out: list[SummarySentence] = []
    for _, i in chosen:
        sentence = infos[i]
        candidates: dict[tuple[str, int, int], ClaimInfo] = {}
        for g in covers[i]:
            for j in alignment.members[g]:
                c = infos[j]
                candidates.setdefault((c.claim.article_id, c.claim.span.start, c.claim.span.end), c)
        candidates.setdefault((sentence.claim.article_id, sentence.claim.span.start, sentence.claim.span.end), sentence)
        cites: list[Evidence] = []
        seen_sources: set[str] = set()
        # own text first, then one verified citation per independent source
        for c in sorted(candidates.values(), key=lambda c: (c is not sentence, c.article_index)):
            if c.source in seen_sources or not verify_citation(sentence, c, alignment, by_id):
                continue
            seen_sources.add(c.source)
            cites.append(Evidence(c.claim.article_id, c.claim.span.start, c.claim.span.end, c.claim.text, c.outlet))
        if cites:  # never a sentence without a verified citation
            out.append(SummarySentence(sentence.claim.text, tuple(cites)))
    return tuple(out)
