"""The records that flow through samestory, one stage turning one kind into the next.

    bytes --ingest--> RawDoc --clean--> Article --dedup/enrich--> Article --cluster--> Story
    Story + its Articles --compare--> Coverage

All records are frozen dataclasses: a stage returns a new record (``dataclasses.replace``)
instead of mutating the one it was given. Every finding carries evidence as character
offsets into an article's clean ``text`` (``Span`` / ``Evidence``), so a reader can always
click from a claim, a quote or a number to the sentence that says it.

``to_dict`` / ``from_dict`` give the JSON-ready form used by the store and the renderers.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from samestory.errors import ArgumentError

__all__ = [
    "Span",
    "Evidence",
    "Removal",
    "RawDoc",
    "Entity",
    "Quote",
    "Quantity",
    "Article",
    "DuplicateLink",
    "Claim",
    "Story",
    "ClaimGroup",
    "QuoteVariant",
    "QuoteGroup",
    "NumberValue",
    "NumberRow",
    "Omission",
    "LoadedWord",
    "Framing",
    "SummarySentence",
    "Coverage",
    "Failure",
    "article_id_for",
    "to_dict",
    "from_dict",
]


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` in some text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ArgumentError("span", f"bad span [{self.start}, {self.end}): need 0 <= start <= end")

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Evidence:
    """Where a finding is stated: ``text[start:end]`` of article ``article_id``'s clean text."""

    article_id: str
    start: int
    end: int
    text: str = ""
    outlet: str = ""


@dataclass(frozen=True)
class Removal:
    """A span the cleaner removed, with the reason. Offsets are into the text *before* cleaning
    (``Article.raw_text``), so the log can be replayed against what was read."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class RawDoc:
    """One document as read, before cleaning.

    ``kind`` says how to read ``content``: ``"text"`` is already plain body text (with
    ``title`` given separately), ``"html"`` goes through extraction.
    ``source`` names where it came from (path, path#record, URL) for error messages.
    """

    source: str
    kind: Literal["text", "html"]
    content: str
    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Entity:
    """A named entity mention group within one article, normalized to ``key``.

    ``mentions`` are the spans where it is named (including aliases and roles tied to it);
    ``attributes`` keeps facts stated in apposition, e.g. ``{"age": "69", "role": "President"}``.
    """

    key: str
    label: str
    name: str
    mentions: tuple[Span, ...] = ()
    aliases: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Quote:
    """Something a speaker said. ``kind`` is ``"direct"`` (quotation marks) or ``"indirect"``."""

    text: str
    span: Span
    speaker: str | None = None
    speaker_key: str | None = None
    speaker_span: Span | None = None
    cue: str | None = None
    kind: Literal["direct", "indirect"] = "direct"


@dataclass(frozen=True)
class Quantity:
    """A typed number: what it counts and where it is stated.

    ``kind`` is one of count, age, year, date, money, percent, duration, ordinal.
    ``value`` is numeric where that makes sense; ``normalized`` holds an ISO date for dates.
    ``about`` is the noun or entity the number is about ("people detained", "Lukashenko").
    ``qualifier`` says the value is approximate or a bound ("about 70", "at least 157").
    """

    text: str
    span: Span
    kind: str
    value: float | None = None
    unit: str | None = None
    about: str | None = None
    about_key: str | None = None
    normalized: str | None = None
    qualifier: str | None = None  # approx, min, max (samestory.text.numbers); None: as written


@dataclass(frozen=True)
class DuplicateLink:
    """How an article relates to its canonical article: ``kind`` is exact, near, wire or version."""

    canonical_id: str
    kind: Literal["exact", "near", "wire", "version"]
    similarity: float
    wire: str | None = None


@dataclass(frozen=True)
class Article:
    """A cleaned article. ``text`` is the clean body; all spans point into it.

    Enrichment fields stay empty until the enrich stage fills them.
    """

    id: str
    outlet: str
    title: str
    text: str
    url: str | None = None
    published: str | None = None  # ISO 8601, with timezone when known
    language: str | None = None
    author: str | None = None
    site_name: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    source: str = ""
    raw_text: str = ""  # the text before cleaning; Removal offsets point into it
    removed: tuple[Removal, ...] = ()
    captions: tuple[str, ...] = ()
    genre: str | None = None  # "news" / "opinion" / "analysis" where the page says so (clean.meta.genre_of)
    # how much the input carried: "full" (a body), "summary" (title + summary, the summary is the
    # text) or "title" (headline only, the text is the headline); short ones cluster with their
    # own cut-offs (cluster.ClusterConfig)
    text_kind: str = "full"
    # filled by dedup
    duplicate: DuplicateLink | None = None
    # filled by enrich
    sentences: tuple[Span, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    embedding: Any = field(default=None, compare=False, hash=False, repr=False)  # numpy vector
    # headline + lead in the multilingual space (enrich.embed.embed_multilingual): what lets the
    # clusterer put articles in two languages into one story
    embedding_m: Any = field(default=None, compare=False, hash=False, repr=False)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def enriched(self) -> bool:
        return bool(self.sentences)


def article_id_for(outlet: str, url: str | None, title: str, text: str) -> str:
    """A content-hash id: re-reading the same article gives the same id (idempotent upserts)."""
    h = hashlib.sha256("\x1f".join([outlet or "", url or "", title or "", text]).encode("utf-8"))
    return "a-" + h.hexdigest()[:16]


@dataclass(frozen=True)
class Claim:
    """An atomic claim: a sentence or a clause of one, in one article."""

    article_id: str
    span: Span
    text: str
    sentence: int  # index into Article.sentences


@dataclass(frozen=True)
class Story:
    """One event covered by one or more outlets. ``id`` never changes once given."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...] = ()
    sources: int = 0
    independent_sources: int = 0
    first_published: str | None = None
    last_published: str | None = None
    entities: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    updated: str | None = None
    languages: tuple[str, ...] = ()  # the members' languages, most articles first (known ones only)


# ---- coverage: the comparison of one story across outlets ----


@dataclass(frozen=True)
class ClaimGroup:
    """Claims aligned across articles. ``status`` is shared, unique or conflicting."""

    id: str
    status: Literal["shared", "unique", "conflicting"]
    text: str  # a representative wording
    evidence: tuple[Evidence, ...]
    outlets: tuple[str, ...]
    note: str = ""  # why it conflicts, e.g. "age of Lukashenko: 69 vs 70"
    # a *unique detail*: values only one source gives (``detail``, e.g. "age of lukashenko '69'")
    # inside the clause of group ``detail_of``, which other sources share; not a claim of its own
    detail_of: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class QuoteVariant:
    evidence: Evidence
    speaker: str | None
    wording: str
    diff: tuple[tuple[str, str], ...] = ()  # word-level ops against the group's base wording: ("=", w) ("-", w) ("+", w)
    partial: bool = False  # a fragment of a longer variant's quotation; its diff is against that stretch only


@dataclass(frozen=True)
class QuoteGroup:
    id: str
    speaker: str | None
    text: str
    variants: tuple[QuoteVariant, ...]
    outlets: tuple[str, ...]
    wording_differs: bool = False
    speaker_differs: bool = False


@dataclass(frozen=True)
class NumberValue:
    outlet: str
    value: str
    evidence: Evidence
    published: str | None = None


@dataclass(frozen=True)
class NumberRow:
    """One subject and attribute (age of X, number detained, a year) with each outlet's value."""

    subject: str
    attribute: str
    values: tuple[NumberValue, ...]
    status: Literal["agree", "single", "disagree", "update"] = "single"


@dataclass(frozen=True)
class Omission:
    outlet: str
    claim_group: str
    text: str
    carried_by: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class LoadedWord:
    evidence: Evidence
    word: str
    category: str
    target: str | None = None
    in_headline: bool = False  # then evidence offsets point into Article.title, not Article.text
    voice: str = "outlet"  # outlet (the writer's own words), scare-quoted, or attributed (reported speech)


@dataclass(frozen=True)
class Framing:
    article_id: str
    outlet: str
    loaded: tuple[LoadedWord, ...] = ()
    headline_loaded: tuple[str, ...] = ()
    tone: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    attributions: tuple[dict, ...] = field(default=(), compare=False, hash=False)
    headline_only: tuple[str, ...] = ()  # loaded headline words the body never uses
    notes: tuple[str, ...] = ()  # plain-language remarks, e.g. headline framing against the body
    cues: tuple[dict, ...] = field(default=(), compare=False, hash=False)  # attribution/hedging cues: word, kind, evidence


@dataclass(frozen=True)
class SummarySentence:
    text: str
    citations: tuple[Evidence, ...]


@dataclass(frozen=True)
class Coverage:
    """Everything samestory found about one story across its outlets."""

    story: Story
    articles: tuple[Article, ...]
    claims: tuple[ClaimGroup, ...] = ()
    quotes: tuple[QuoteGroup, ...] = ()
    numbers: tuple[NumberRow, ...] = ()
    omissions: tuple[Omission, ...] = ()
    framing: tuple[Framing, ...] = ()
    summary: tuple[SummarySentence, ...] = ()


@dataclass(frozen=True)
class Failure:
    """An input that could not be read or processed: named, with the reason. Batches go on."""

    source: str
    reason: str
    stage: str = "ingest"
    record: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}#{self.record}" if self.record else self.source
        return f"{where}: {self.reason} ({self.stage})"


def to_dict(obj: Any) -> Any:
    """JSON-ready form of any record (embeddings dropped, tuples as lists)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            if f.name in ("embedding", "embedding_m", "raw_text"):
                continue
            out[f.name] = to_dict(getattr(obj, f.name))
        return out
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    return obj


def from_dict(cls: type, data: Any) -> Any:
    """Rebuild a record of type ``cls`` from its ``to_dict`` form (the inverse, for the store)."""
    if data is None:
        return None
    kwargs = {}
    for name, tp in _field_types(cls):
        if name in data:
            kwargs[name] = _decode(tp, data[name])
    return cls(**kwargs)


@functools.lru_cache(maxsize=None)
def _field_types(cls: type) -> tuple[tuple[str, Any], ...]:
    """(field name, resolved type) of a record class; resolving type hints is slow, so once per class."""
    import typing

    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _decode(tp: Any, value: Any) -> Any:
    import types
    import typing

    if value is None:
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _decode(inner[0], value) if len(inner) == 1 else value
    if origin is tuple:
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in value)
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    return value
