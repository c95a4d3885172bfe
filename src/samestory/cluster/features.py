"""What the clusterer looks at in one article, derived once and kept small.

``featurize(articles)`` turns Articles into ``ArticleFeatures``:

- ``embedding``: the enrich stage's L2-normalized all-MiniLM-L6-v2 vector of headline + lead
  when present, else computed here with the same text and cut (``enrich.embed``, batched);
- ``entities``: people, places, organizations (and events, groups, facilities) by key, weighted
  by how often the article names them (headline mentions count more); from ``Article.entities``
  when enrich filled them, else from spaCy's NER over headline and the first part of the text;
- ``keywords``: salient terms (stop words dropped, crude plural folding), log-scaled counts with
  headline and lead weighted up; the clusterer applies IDF learned incrementally;
- ``numbers``: numbers stated in headline and text ("23", "7.6", "160000000");
- ``time``: publication time in epoch seconds, ``None`` when unknown or unparseable;
- ``body_words``: words of body beyond the headline (0 for a headline-only article);
- ``name_keys``: names and numbers in a form shared across languages and scripts
  (``text.translit.name_keys``: "Лукашенко" and "Lukashenko" give one key), the cross-language
  join's evidence beside the multilingual vector.

Everything here is deterministic and per-article (no corpus statistics), so features can be
computed in batches, in parallel or ahead of time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from samestory.dedup.sources import source_wire
from samestory.text.dates import published_timestamp
from samestory.text.languages import language_code
from samestory.text.sentences import split_sentences
from samestory.text.translit import name_keys
from samestory.text.words import CLUSTER_STOP

__all__ = ["ArticleFeatures", "featurize", "lead_text", "parse_published", "ENTITY_LABELS"]

# spaCy labels that name who/where/what an event is about
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT"}
LEAD_CHARS = 400  # headline + lead: about the first two sentences
NER_CHARS = 3000  # NER on the first part of the text is enough to know who and where
MAX_KEYWORDS = 80
MAX_NUMBERS = 30


@dataclass
class ArticleFeatures:
    article_id: str
    title: str
    embedding: np.ndarray
    entities: dict[str, float] = field(default_factory=dict)
    entity_names: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, float] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    time: float | None = None
    outlet: str = ""
    canonical_id: str | None = None  # set by dedup: join the canonical article's story
    wire: str | None = None  # the agency the article counts under (dedup.source_wire)
    # words of body beyond the headline (0 for a headline-only article, whose text is its
    # headline): how much text the scores stand on; short articles get lower cut-offs (None:
    # not known, the full-text cut-offs apply)
    body_words: int | None = None
    language: str | None = None  # ISO 639-1 as ingest stored it; None: not known
    embedding_m: np.ndarray | None = None  # headline + lead in the multilingual space (512)
    # names (transliterated to Latin letters, cut to their first letters) and numbers of headline and
    # body start: what two articles in different languages and scripts can share word for word
    name_keys: frozenset[str] = frozenset()


# ---------------------------------------------------------------- text pieces

def lead_text(title: str, text: str, limit: int = LEAD_CHARS) -> str:
    """Headline plus the first sentences of the body, up to about ``limit`` characters."""
    body = (text or "").strip()
    lead = ""
    for sent in split_sentences(body[: limit * 3]):
        if lead and len(lead) + len(sent) > limit:
            break
        lead = f"{lead} {sent}".strip()
    if not lead:
        lead = body[:limit]
    title = (title or "").strip()
    return f"{title}. {lead}".strip(". ") if title else lead


STOP = CLUSTER_STOP
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(million|billion|thousand|m|bn|k)\b)?", re.I)
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}


def _fold(word: str) -> str:
    w = word.lower().strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _keywords(title: str, lead: str, text: str) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for weight, chunk in ((3.0, title), (1.5, lead), (1.0, text)):
        for m in _WORD.finditer(chunk or ""):
            w = _fold(m.group())
            if len(w) >= 3 and w not in STOP:
                counts[w] += weight
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_KEYWORDS]
    return {w: 1.0 + math.log(c) for w, c in top}


def _numbers(title: str, text: str) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for weight, chunk in ((2.0, title), (1.0, text)):
        for m in _NUMBER.finditer(chunk or ""):
            whole, frac, scale = m.group(1).replace(",", ""), m.group(2), m.group(3)
            if not frac and not scale and len(whole) < 2:
                continue  # single digits say little about which event this is
            value = float(f"{whole}.{frac}" if frac else whole) * _SCALE.get((scale or "").lower(), 1.0)
            key = f"{value:.12g}"
            counts[key] += weight
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_NUMBERS]
    return {k: 1.0 + math.log(c) for k, c in top}


def body_words(title: str, text: str) -> int:
    """Words of body beyond the headline: 0 when the text is the headline (a headline-only record)."""
    body = text.strip()
    if not body or body == title.strip():
        return 0
    return len(body.split())


# ---------------------------------------------------------------- time

def parse_published(value: str | None) -> float | None:
    """Epoch seconds of a published date (``samestory.text.dates``): a date that does not state
    its year, month and day is not guessed (a wrong year would push a story apart)."""
    return published_timestamp(value)


# ---------------------------------------------------------------- entities

def _entity_key(name: str) -> str:
    key = re.sub(r"[’']s$", "", name.strip().lower())
    key = re.sub(r"^the\s+", "", key)
    key = re.sub(r"[^\w]+", " ", key).strip()
    return key


def _entities_from_article(article) -> tuple[dict[str, float], dict[str, str]]:
    weights: dict[str, float] = {}
    names: dict[str, str] = {}
    title = (article.title or "").lower()
    for ent in article.entities:
        if ent.label not in ENTITY_LABELS:
            continue
        key = ent.key or _entity_key(ent.name)
        if not key:
            continue
        w = float(max(1, len(ent.mentions)))
        if ent.name and ent.name.lower() in title:
            w += 2.0
        weights[key] = weights.get(key, 0.0) + w
        names.setdefault(key, ent.name)
    return {k: 1.0 + math.log(v) for k, v in weights.items()}, names


def _entities_from_doc(doc, title_len: int) -> tuple[dict[str, float], dict[str, str]]:
    weights: Counter[str] = Counter()
    names: dict[str, str] = {}
    persons: list[str] = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        key = _entity_key(ent.text)
        if len(key) < 2 or key.isdigit():
            continue
        if ent.label_ == "PERSON" and " " in key:
            persons.append(key)
        weights[key] += 3.0 if ent.start_char < title_len else 1.0
        names.setdefault(key, ent.text.strip())
    # "Teixeira" after "Mark Teixeira" in the same article is the same person
    for key in list(weights):
        if " " not in key:
            full = [p for p in persons if p.endswith(" " + key)]
            if len(full) == 1:
                weights[full[0]] += weights.pop(key)
                names.pop(key, None)
    return {k: 1.0 + math.log(v) for k, v in weights.items()}, names


# ---------------------------------------------------------------- batch

def _embed(articles) -> np.ndarray:
    """The enrich stage's article vector (same text, same cut) for articles enrich did not embed."""
    from samestory.enrich.embed import LEAD_MAX_TOKENS, embed_texts
    from samestory.enrich.embed import lead_text as embedded_lead

    vecs = np.asarray(embed_texts([embedded_lead(a) for a in articles], max_tokens=LEAD_MAX_TOKENS), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-12)


def featurize(articles, *, batch_size: int = 256) -> list[ArticleFeatures]:
    """Features for each article, in order. Uses enrich's embedding/entities when present."""
    articles = list(articles)
    out: list[ArticleFeatures] = []
    for start in range(0, len(articles), batch_size):
        out.extend(_featurize_batch(articles[start : start + batch_size]))
    return out


def _featurize_batch(articles) -> list[ArticleFeatures]:
    leads = [lead_text(a.title, a.text) for a in articles]
    vectors: list[np.ndarray | None] = []
    missing: list[int] = []
    for i, a in enumerate(articles):
        if a.embedding is not None:
            v = np.asarray(a.embedding, dtype=np.float32).reshape(-1)
            vectors.append(v / max(float(np.linalg.norm(v)), 1e-12))
        else:
            vectors.append(None)
            missing.append(i)
    if missing:
        computed = _embed([articles[i] for i in missing])
        for i, v in zip(missing, computed):
            vectors[i] = v

    multilingual = [a.embedding_m for a in articles]
    need_m = [i for i, v in enumerate(multilingual) if v is None]
    if need_m:
        from samestory.enrich.embed import embed_multilingual, multilingual_lead

        for i, v in zip(need_m, embed_multilingual([multilingual_lead(articles[i]) for i in need_m])):
            multilingual[i] = v

    ents: list[tuple[dict, dict] | None] = [
        _entities_from_article(a) if a.entities else None for a in articles
    ]
    need_ner = [i for i, e in enumerate(ents) if e is None]
    if need_ner:
        from samestory.enrich.models import PARAGRAPHS, load_spacy

        nlp, ner_only = load_spacy(), ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter", PARAGRAPHS]
        texts = []
        for i in need_ner:
            a = articles[i]
            texts.append(f"{(a.title or '').strip()}\n\n{(a.text or '')[:NER_CHARS]}")
        for i, doc in zip(need_ner, nlp.pipe(texts, batch_size=32, disable=ner_only)):
            ents[i] = _entities_from_doc(doc, len((articles[i].title or "").strip()))

    out = []
    for a, lead, vec, vec_m, (ent_w, ent_n) in zip(articles, leads, vectors, multilingual, ents):
        out.append(
            ArticleFeatures(
                article_id=a.id,
                title=a.title or "",
                embedding=vec,
                entities=ent_w,
                entity_names=ent_n,
                keywords=_keywords(a.title or "", lead, a.text or ""),
                numbers=_numbers(a.title or "", a.text or ""),
                time=parse_published(a.published),
                outlet=a.outlet or "",
                canonical_id=a.duplicate.canonical_id if a.duplicate is not None else None,
                wire=source_wire(a),
                body_words=body_words(a.title or "", a.text or ""),
                language=language_code(a.language),
                embedding_m=np.asarray(vec_m, dtype=np.float32).reshape(-1),
                name_keys=name_keys(a.title or "", a.text or ""),
            )
        )
    return out
