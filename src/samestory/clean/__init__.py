"""The clean stage: ``RawDoc -> Article``.

- HTML goes through extraction first (``samestory.clean.extract``: trafilatura main text and
  metadata, captions kept as metadata, fallbacks, hostile-page guards).
- Then junk cleaning (``samestory.clean.junk``) removes page furniture line by line and logs
  every removed span with its reason (``Article.removed``, offsets into ``Article.raw_text``).
- A ``BoilerplateMiner`` (``samestory.clean.boilerplate``), when given, learns each outlet's
  repeated lines from every article it sees and removes them once they repeat.
- Language comes from py3langid when the input does not say; the published date is normalized
  to ISO 8601 (see ``normalize_date``).

Public: ``clean``, ``clean_text``, ``normalize_date``, ``detect_language``, ``BoilerplateMiner``,
``extract_html``.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from samestory.clean.boilerplate import BoilerplateMiner
from samestory.clean.extract import RECALL_OPTIONS, Extraction, extract_html, extract_text_only
from samestory.clean.junk import clean_text as _clean_units
from samestory.clean.junk import drop_kept_units, split_units
from samestory.clean.meta import genre_of, outlet_from_footer, outlet_name, strip_site_from_title
from samestory.errors import ExtractError
from samestory.models import Article, RawDoc, Removal, article_id_for
from samestory.text.dates import normalize_published
from samestory.text.languages import language_code

__all__ = [
    "clean",
    "clean_text",
    "drop_learned_boilerplate",
    "normalize_date",
    "detect_language",
    "outlet_from_url",
    "BoilerplateMiner",
    "Extraction",
    "extract_html",
]

MIN_PAGE_WORDS = 5  # a page whose main text is shorter is a menu or an error page, not an article


@dataclass(frozen=True)
class RecallRetry:
    """When the precision-first extraction leaves a short text, extract again for recall and keep the longer one.

    Chosen on bench/extraction.py (cleaned text, both sets, same code): retrying pages whose clean text has under
    ``max_words`` words and keeping the retry when it is at least ``min_gain`` times as long. With a full retry:
    under 150 words, snippet F1 on trafilatura-evaldata 0.940 -> 0.944 (53 of 472 pages retried) and English shingle
    F1 0.968 -> 0.973 (16 of 181); under 300, 0.946 / 0.973 with 133 pages retried. The retry is a text-only,
    ``fast`` extraction (no metadata, no fallback extractors) to keep the cost down, and 100 words: 0.944 / 0.970,
    28 and 11 pages retried. ``max_words=0`` turns it off.
    """

    max_words: int = 100
    min_gain: float = 1.5


RECALL_RETRY = RecallRetry()
LANGID_CHARS = 1500  # a few paragraphs give a stable guess; cost grows with length


def clean_text(
    text: str,
    *,
    title: str | None = None,
    known_captions: tuple[str, ...] = (),
) -> tuple[str, tuple[Removal, ...], tuple[str, ...]]:
    """Clean text that is already extracted: ``(clean text, removals, captions)``.

    Removal offsets point into ``text``. Idempotent: cleaning the clean text again changes nothing.
    An outlet's learned boilerplate is a later step (``drop_learned_boilerplate``).
    """
    return _clean_units(text, title=title, known_captions=known_captions)


def drop_learned_boilerplate(article: Article, miner: BoilerplateMiner) -> Article:
    """The boilerplate stage: count this article's lines for its outlet, then drop the kept lines
    the outlet repeats.

    It runs after the stateless clean stage, in arrival order (the miner is state), and drops
    units from what the clean stage kept (its removal log says which), so nothing is cleaned
    twice. The article keeps its id, which was derived before mining, so re-reading an article
    later, when the miner knows more, still finds it stored.
    """
    if article.text_kind == "title":
        return article  # a headline-only article has no lines to learn or drop
    body = article.raw_text or article.text
    lines = [u.text for u in split_units(body)]
    miner.observe(article.outlet, lines, doc_key=_doc_key(body))
    if not any(miner.is_boilerplate(article.outlet, line) for line in lines):
        return article

    def learned(unit_text: str) -> str | None:
        return miner.reason(article.outlet, unit_text) if miner.is_boilerplate(article.outlet, unit_text) else None

    # an article given without its raw text has no log: its units are the text's own
    dropped = drop_kept_units(body, article.text, article.removed if article.raw_text else (), learned)
    if dropped is None:  # a removal log that does not rebuild the text (another version cleaned it)
        text, removed, _ = _clean_units(body, title=article.title, known_captions=article.captions)
        dropped = drop_kept_units(body, text, removed, learned)
    text, removed = dropped
    if not text.strip() or text == article.text:
        return article  # an article is never emptied by what its outlet repeats
    return dataclasses.replace(article, text=text, removed=removed)


LANGID_MIN_CONFIDENCE = 0.5  # below it a guess is a coin toss (English headlines came out Welsh or Galician at 0.1-0.25)


@functools.lru_cache(maxsize=1)
def _language_identifier():
    import py3langid.langid as langid

    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code guessed by py3langid, or None for text without letters and for a guess it is
    not sure of (a short headline): None means no language-specific rules (``text.languages``)."""
    sample = text[:LANGID_CHARS]
    if not re.search(r"[^\W\d_]", sample):
        return None
    lang, confidence = _language_identifier().classify(sample)
    return lang if confidence >= LANGID_MIN_CONFIDENCE else None


def normalize_date(value: str | None) -> str | None:
    """ISO 8601 form of a publication date, or None when it cannot be read (``samestory.text.dates``).

    - with a time and a zone (offset or a known abbreviation): ``2024-01-29T10:15:00+00:00``
    - with a time but no zone: left naive, ``2024-01-29T10:15:00`` (we never guess a zone)
    - a day only: ``2024-01-29``; a date missing its year, month or day is not guessed
    """
    return normalize_published(value)


def outlet_from_url(url: str | None) -> str | None:
    """The host of ``url`` without ``www.``: a stand-in outlet name for pages that do not name one."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _byline_author(removed: tuple[Removal, ...]) -> str | None:
    """The name in a removed "By Jane Doe" line, when the page metadata named no author."""
    for r in removed:
        if r.reason == "byline":
            name = re.sub(r"^(by|words by|written by|reporting by|report by|story by)\s+", "", r.text.strip(), flags=re.I)
            name = re.split(r"\s*[|,•·]\s*", name)[0].strip()
            return name or None
    return None


def _doc_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _extract(raw: RawDoc, extract_options: dict | None) -> Extraction:
    if raw.kind == "html":
        return extract_html(raw.content, source=raw.source, url=raw.url, options=extract_options)
    if raw.kind == "text":
        return Extraction(text=raw.content, method="text")
    raise ExtractError(raw.source, f"unknown document kind {raw.kind!r} (expected 'text' or 'html')")


def _weak_outlet(raw: RawDoc) -> bool:
    """The reader filled the outlet in from the file name: any name the page or its footer gives is better."""
    return isinstance(raw.meta, dict) and raw.meta.get("outlet_from") == "file name"


def clean(raw: RawDoc, *, miner: BoilerplateMiner | None = None, extract_options: dict | None = None) -> Article:
    """Turn one ``RawDoc`` into a clean ``Article``; raises ``ExtractError`` naming the source and the reason.

    With a ``miner``, the boilerplate stage follows (``drop_learned_boilerplate``): the article's
    lines are counted for its outlet (once per distinct text) and the lines the outlet repeats
    are dropped. The id is derived before that, as in the ingest.

    The outlet, in order of trust: the one given with the input (option, sidecar, record), the page's own site
    name / JSON-LD publisher / application name, its canonical URL's host, then the newsroom a removed footer
    names; a name taken from the file name ranks last. The title loses a site suffix or prefix.
    """
    ex = _extract(raw, extract_options)
    body = ex.text or ""
    text_kind = raw.meta.get("text_kind", "full") if isinstance(raw.meta, dict) else "full"
    headline = (raw.title or "").strip()
    if not body.strip() and raw.kind == "text" and headline:
        body, text_kind = headline, "title"  # a headline-only record: the headline is its text
    if not body.strip():
        what = ("no article text found in the page (trafilatura, its baseline and the <p> fallback found none)"
                if raw.kind == "html" else "the document is empty (no text and no title)")
        raise ExtractError(raw.source, what)

    url = raw.url or ex.canonical_url
    host = outlet_from_url(ex.canonical_url or raw.url) or ex.hostname
    page_outlet = outlet_name(ex.identity, host=host, guessed=ex.site_name) if raw.kind == "html" else None
    given = None if _weak_outlet(raw) else raw.outlet
    outlet = (given or page_outlet or host or raw.outlet or "unknown").strip()
    title = (raw.title or ex.title or "").strip()

    if text_kind == "title":
        # nothing to clean: junk cleaning would drop the headline as a repeat of the title
        text, removed, body_captions = body.strip(), (), ()
    else:
        text, removed, body_captions = _clean_units(body, title=title or None, known_captions=ex.captions)
    if raw.kind == "html" and extract_options is None and len(text.split()) < RECALL_RETRY.max_words:
        retry = extract_text_only(raw.content, source=raw.source, url=raw.url, options=RECALL_OPTIONS)
        if retry.strip():
            r_text, r_removed, r_captions = _clean_units(retry, title=title or None, known_captions=ex.captions)
            if len(r_text.split()) >= RECALL_RETRY.min_gain * max(1, len(text.split())):
                body, text, removed, body_captions = retry, r_text, r_removed, r_captions
    if not text.strip() and raw.kind == "text" and title:
        # a short summary that cleaning emptied (a "Read more" line): the headline is still an article
        text, text_kind = title, "title"
    if not text.strip():
        reasons = sorted({r.reason for r in removed})
        raise ExtractError(raw.source, f"no article text left after cleaning: every line was removed ({'; '.join(reasons)})")

    if raw.kind == "html" and len(text.split()) < MIN_PAGE_WORDS:
        raise ExtractError(raw.source, f"no article text found in the page: only {len(text.split())} words "
                                       f"of text outside the page furniture (menus, links)")

    if not given and not page_outlet and not host:  # a footer ranks below the page's own names and its host
        footer_outlet = next((name for r in removed if r.reason == "newsroom footer"
                              and (name := outlet_from_footer(r.text))), None)
        if footer_outlet:
            outlet = footer_outlet
    names = tuple(dict.fromkeys(ex.identity.names + ((outlet,) if outlet != "unknown" else ())))
    if title:
        title = strip_site_from_title(title, names, host or (outlet if "." in outlet else None))
    if not title:
        first = text.split("\n", 1)[0]
        title = first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "..."

    captions = tuple(dict.fromkeys(body_captions + tuple(ex.captions)))
    author = (raw.meta.get("author") if isinstance(raw.meta, dict) else None) or ex.author or _byline_author(removed)
    published = normalize_date(raw.published) or normalize_date(ex.date)
    language = language_code(raw.language) or detect_language(text)  # a feed's "en-us" is "en"
    article = Article(
        id=raw.id or article_id_for(outlet, url, title, text),
        outlet=outlet,
        title=title,
        text=text,
        url=url,
        published=published,
        language=language,
        author=author,
        site_name=ex.site_name,
        description=ex.description,
        canonical_url=ex.canonical_url,
        source=raw.source,
        raw_text=body,
        removed=removed,
        captions=captions,
        genre=genre_of(ex.identity, url) if raw.kind == "html" else None,
        text_kind=text_kind,
    )
    return article if miner is None else drop_learned_boilerplate(article, miner)
