"""Numbers and dates across outlets: one row per subject and attribute, each outlet's value.

    rows = number_table(articles)     # articles enriched (quantities, entities, sentences)
    for r in rows: r.subject, r.attribute, r.status, [(v.outlet, v.value) for v in r.values]

Rows are matched across outlets by

* ages: the person (entity keys normalized across articles: "Putin" is "Vladimir Putin"); ages
  come from ``Quantity(kind="age")`` and from ``Entity.attributes["age"]`` ("Lukashenko, 69");
* counts, money, percentages, durations: what is counted, as lemmas ("people detained" and
  "detained or questioned" share "detain");
* years and dates: the event around them (lemmas of the words near the year).

Values are read by enrich through ``samestory.text.numbers`` (vague quantifiers never become
values; "about" and "at least" are kept as qualifiers). ``NumberConfig`` says when two differing
values share a row; a row disagrees only when its values cannot both hold, are of one unit, and
their sentences speak of one moment (``claims.same_moment``).

Status: ``single`` (one independent outlet), ``agree``, ``disagree``, or ``update``: a count that
grows over time (a death toll, people detained) reported higher by a later-published article,
when every differing value has a publication time. Independence is the claims stage's
(``claims.source_keys``): a linked copy adds no value, and outlets running one agency's wire
story are listed each but count as one source (a figure only they give is ``single``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from samestory.compare import _nlp
from samestory.compare.claims import one_value_apart, same_moment
from samestory.dedup import source_keys
from samestory.compare.quotes import SpeakerNames
from samestory.models import Article, Evidence, NumberRow, NumberValue
from samestory.text.numbers import round_figure_covers
from samestory.text.words import COUNT_STOP

__all__ = ["number_table", "GROWING_LEMMAS"]

# Counts that only grow as a story develops: a higher later figure is news, not a contradiction.
GROWING_LEMMAS = frozenset(
    """dead death die kill toll casualty injure injured wound hurt detain detention arrest question
    jail imprison case infect infection miss missing evacuate displace victim hospitalise hospitalize
    rescue flee refugee damage cost injury evacuate""".split()
)
# What news counts count, as classes: "12 died", "a death toll of 12", "12 killed" are one figure.
_LEMMA_CLASS = {
    **dict.fromkeys("die dead death kill toll fatality fatal perish life".split(), "death"),
    **dict.fromkeys("injure injured injury wound wounded hurt".split(), "injury"),
    **dict.fromkeys("detain detention arrest custody".split(), "detain"),
    **dict.fromkeys("evacuate evacuation evacuee flee displace".split(), "evacuate"),
    **dict.fromkeys("miss missing unaccounted".split(), "missing"),
}
# Head nouns that say nothing about what is counted ("12 people died" vs "4 people detained").
_GENERIC = frozenset("people person man woman number total figure least some".split())
_STOP = COUNT_STOP


@dataclass
class _Obs:
    article: Article
    source: str  # independent source id (canonical article)
    kind: str  # age | year | count | ...
    value: str
    number: float | None
    evidence: Evidence
    subject: str  # display
    key: str = ""  # entity key for ages
    lemmas: frozenset[str] = field(default_factory=frozenset)
    qualifier: str | None = None  # approx, min, max: a bound, not a figure
    unit: str | None = None  # currency, counted noun, duration unit

    @property
    def exact(self) -> bool:
        return self.qualifier is None and self.number is not None


def _fmt(value: float | None, text: str) -> str:
    if value is None:
        return text.strip()
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _with_unit(value: str, number: float | None, unit: str | None) -> str:
    """A duration's value with its unit: "three months" and "more than three years" are "3
    months" and "3 years", two values (as bare "3" they agreed)."""
    if not unit or number is None:
        return value  # "a year" as written
    one = unit.lower().removesuffix("s") if unit.lower() != "centuries" else "century"
    many = "centuries" if one == "century" else one + "s"
    return f"{value} {one if number == 1 else many}"


def _sentence_of(article: Article, pos: int) -> tuple[int, int]:
    for s in article.sentences:
        if s.start <= pos < s.end:
            return s.start, s.end
    start = max(article.text.rfind(".", 0, pos), article.text.rfind("\n", 0, pos)) + 1
    end = min([i for i in (article.text.find(".", pos), article.text.find("\n", pos)) if i >= 0] or [len(article.text)])
    return start, end


_STOP_OR_GENERIC = _STOP | _GENERIC


def _content_lemma(t) -> str | None:
    """The lemma class of a content word ("killed" -> "death"), None for anything else."""
    lemma = t.lemma_.lower()
    if t.is_alpha and t.lower_ not in _STOP and lemma not in _STOP_OR_GENERIC and t.pos_ in ("NOUN", "VERB", "ADJ", "PROPN"):
        return _LEMMA_CLASS.get(lemma, lemma)
    return None


def _lemmas(texts: list[str]) -> list[frozenset[str]]:
    # without NER (half the time; same lemmas), cached per text
    return _nlp.lemma_sets(texts, _content_lemma, key="numbers")


def _year_context(article: Article, start: int, end: int) -> tuple[str, str]:
    """(display, context) for a year: the few words before it, and the clause around it."""
    s0, e0 = _sentence_of(article, start)
    before = article.text[s0:start]
    after = article.text[end:e0]
    words_before = re.findall(r"[\w’'-]+", before)[-5:]
    words_after = re.findall(r"[\w’'-]+", after)[:4]
    starts = [m.start() for m in re.finditer(r"[\w’'-]+", before)][-4:]
    display = (before[starts[0]:] if starts else "") + article.text[start:end]  # the outlet's own words, marks kept
    return " ".join(display.split()), " ".join(words_before + words_after)


def _observations(articles: Sequence[Article]) -> list[_Obs]:
    ids = {a.id for a in articles}
    names = SpeakerNames(articles)
    obs: list[_Obs] = []
    pending_context: list[tuple[_Obs, str]] = []
    # independence as the claims stage counts it: one agency's wire copy in two outlets is one source
    keys = source_keys(articles)
    for a, source in zip(articles, keys):
        if a.duplicate and a.duplicate.canonical_id in ids and a.duplicate.canonical_id != a.id:
            continue  # a linked copy says what its canonical says
        seen_ages: set[str] = set()
        for q in a.quantities:
            if q.kind in ("date", "ordinal") and not q.normalized and q.kind != "ordinal":
                continue  # a day that could not be resolved against the published date
            if q.kind == "age" and q.value is None:
                continue  # "in his 50s": a range, no age to compare
            if q.kind == "ordinal" and q.value == 1:
                continue  # "first" orders a text or a time ("first met", "the first aim"), not a figure
            ev = Evidence(a.id, q.span.start, q.span.end, a.text[q.span.start : q.span.end], a.outlet)
            value = _fmt(q.value, q.normalized or q.text)
            if q.kind == "age":
                key = names.canonical(q.about_key or q.about)
                if not key or key in seen_ages:
                    continue
                seen_ages.add(key)
                obs.append(_Obs(a, source, "age", value, q.value, ev, names.name_of(key) or q.about or key, key=key,
                                qualifier=q.qualifier))
            elif q.kind == "year":
                display, context = _year_context(a, q.span.start, q.span.end)
                # "Alexander Lukashenko: been in power since 1994" says what the year is about
                subject = f"{q.about}: {display}" if q.about and q.about.lower() not in display.lower() else display
                o = _Obs(a, source, "year", value, q.value, ev, subject, qualifier=q.qualifier)
                obs.append(o)
                pending_context.append((o, f"{q.about or ''} {context}"))
            else:
                subject = _subject_of(a, q)
                if q.kind == "duration":
                    value = _with_unit(value, q.value, q.unit)
                o = _Obs(a, source, q.kind, value, q.value, ev, subject, qualifier=q.qualifier,
                         unit=(q.unit or "").lower() or None)
                obs.append(o)
                s0, e0 = _sentence_of(a, q.span.start)
                after = " ".join(re.findall(r"[\w’'-]+", a.text[q.span.end : e0])[:6])
                pending_context.append((o, subject if _names_something(q.about, q) else f"{subject} {after}"))
        # ages stated in apposition ("Lukashenko, 69") that the quantity extractor did not type
        for ent in a.entities:
            age = (ent.attributes or {}).get("age")
            if not age or ent.label != "PERSON":
                continue
            key = names.canonical(ent.key)
            if not key or key in seen_ages:
                continue
            ev = _age_evidence(a, ent, age)
            if ev is None:
                continue
            seen_ages.add(key)
            obs.append(_Obs(a, source, "age", age, float(age) if age.isdigit() else None, ev, names.name_of(key) or ent.name, key=key))
    for (o, _), lem in zip(pending_context, _lemmas([c for _, c in pending_context]), strict=True):
        o.lemmas = lem
    return obs


_PRONOUNS = frozenset(
    """i me my we us our you your he him his she her it its they them their this that these those
    one ones who which what there here""".split()
)
_CLAUSE_STOP = re.compile(r"[,;:()\[\]“”\"]|\s[—–-]\s")


def _names_something(about: str | None, q) -> bool:
    """Whether enrich's ``about`` says what the number counts or whose attribute it is: not
    empty, not a pronoun or a bare time word, and not the number's own words ("AT LEAST seven")."""
    if not about or not about.strip():
        return False
    low = " ".join(about.lower().split())
    if low in _PRONOUNS or any(ch.isdigit() for ch in low):
        return False
    own = " ".join(q.text.lower().split())
    return low not in own and own not in low


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][\w’'-]*", text)


def _subject_of(article: Article, q) -> str:
    """What a count, amount or date is about, in the outlet's words: enrich's ``about`` when it
    names something; else the noun or verb right after the number in its clause ("seven were
    killed" -> "killed"); else what the number stands in apposition to ("the actress, 26," ->
    "actress"); else the words before it, as for years."""
    if _names_something(q.about, q):
        return " ".join(q.about.split())
    s0, e0 = _sentence_of(article, q.span.start)
    after = _CLAUSE_STOP.split(article.text[q.span.end : e0], maxsplit=1)[0]
    words = [w for w in _words(after) if w.lower() not in _STOP and w.lower() not in _PRONOUNS]
    if words and q.kind != "date":
        return " ".join(words[:2])
    before = article.text[s0 : q.span.start]
    apposition = re.search(r"([A-Za-z][\w’'-]*(?:\s+[A-Za-z][\w’'-]*){0,2}),\s*$", before)
    if apposition and article.text[q.span.end : q.span.end + 1] in {",", ")"}:
        words = [w for w in _words(apposition.group(1)) if w.lower() not in _STOP]
        if words:
            return " ".join(words[-2:])
    display, _ = _year_context(article, q.span.start, q.span.end)
    return display


def _age_evidence(article: Article, ent, age: str) -> Evidence | None:
    for m in ent.mentions:
        window = article.text[m.end : m.end + 40]
        hit = re.search(rf"\b{re.escape(age)}\b", window)
        if hit:
            return Evidence(article.id, m.start, m.end + hit.end(), article.text[m.start : m.end + hit.end()], article.outlet)
    for m in re.finditer(rf"\b{re.escape(age)}\b", article.text):
        return Evidence(article.id, m.start(), m.end(), m.group(), article.outlet)
    return None


def _similarity(a: _Obs, b: _Obs) -> float:
    if a.kind == "age":
        return 1.0 if a.key == b.key else 0.0
    if not a.lemmas or not b.lemmas:
        return 0.0
    jaccard = len(a.lemmas & b.lemmas) / len(a.lemmas | b.lemmas)
    return jaccard + (0.25 if a.value == b.value else 0.0)


def _threshold(a: _Obs, b: _Obs) -> float:
    """How alike the contexts of two values must be to be one row. Two different values need
    more (the same event, not two events of one story: ``NumberConfig.differing_context``)."""
    if a.kind == "age":
        return 1.0
    if a.value == b.value:
        return 0.35 if a.kind == "year" else 0.3
    return NUMBERS.differing_context


@dataclass(frozen=True)
class NumberConfig:
    """When two outlets' values are one row and when a row is a disagreement.

    * ``differing_context``: lemma Jaccard (+0.25 for equal values) two *different* values'
      contexts need to share a row (0.5; equal values keep the old 0.3 / 0.35 for years). On the
      first bench run (bench/claims.py, MSRP value pairs) rows of two moments of one market
      day disagreed at 0.3.
    * A row ``disagree``s only when two values cannot both hold (a bound or "about" widens a
      value; vague quantifiers never become values in enrich), are of one unit (currency, counted
      noun) and are not one the other rounded; values that can both hold ``agree``.
    """

    differing_context: float = 0.5


NUMBERS = NumberConfig()


_DAYS_PER = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30.44, "year": 365.25, "decade": 3652.5, "century": 36525}


def _bounds(o: _Obs, *, agreeing: bool = False) -> tuple[float, float]:
    """The values a figure allows. ``agreeing``: the values it can be said to *agree* with,
    where a bound reaches to twice its figure ("at least 6" agrees with 8, not with "over
    100": both can hold, but that is two figures, not one told two ways)."""
    v = o.number if o.number is not None else float("nan")
    if o.kind == "duration" and o.unit:  # in days: "3 months" and "3 years" are two spans
        unit = o.unit.lower()
        v *= _DAYS_PER.get("century" if unit == "centuries" else unit.removesuffix("s"), 1)
    if o.qualifier == "min":
        return v, v + abs(v) if agreeing else float("inf")
    if o.qualifier == "max":
        return v - abs(v) / 2 if agreeing else float("-inf"), v
    if o.qualifier == "approx":
        return v - 0.1 * abs(v), v + 0.1 * abs(v)
    return v, v


ROUNDING_AGREES = 0.02  # 296 is 300 rounded (1.3%); 2,075 and 2,000 (3.6%) are not shown as one figure


_ISO_DAY = re.compile(r"\d{4}(?:-\d\d){0,2}")


def _identity(o: _Obs) -> tuple[str, str | None]:
    """What makes two values one: the value, and for money its currency ("$5" is not 5 euros)."""
    return o.value, o.unit if o.kind == "money" else None


def _can_both_hold(a: _Obs, b: _Obs, *, agreeing: bool = False) -> bool:
    if _identity(a) == _identity(b):
        return True
    if a.kind == b.kind == "date" and _ISO_DAY.fullmatch(a.value) and _ISO_DAY.fullmatch(b.value):
        # a month holds its days ("2014-12" and "2014-12-05"); "2014-12" and "2014-01-03" are two dates
        return a.value.startswith(b.value) or b.value.startswith(a.value)
    if a.number is None or b.number is None:
        return not agreeing and not (a.exact and b.exact)  # "13 days" and "a week": two spans
    if a.kind == "money" and a.unit and b.unit and a.unit != b.unit:
        return False  # two currencies: two amounts (the unit rule of _status keeps it from a conflict)
    (a0, a1), (b0, b1) = _bounds(a, agreeing=agreeing), _bounds(b, agreeing=agreeing)
    if a0 <= b1 and b0 <= a1:
        return True
    if a.kind == "duration" and a.unit != b.unit:
        return False  # rounding compares figures of one unit
    # one is the other rounded ("4.4" and "4.36")
    da = len(a.value.split(".")[1]) if "." in a.value else 0
    db = len(b.value.split(".")[1]) if "." in b.value else 0
    places = min(da, db)
    if round(a.number, places) == round(b.number, places):
        return True
    # ... or a round figure the other rounds to ("300 killed" and "296 killed"): never a clash; an
    # agreement only within ROUNDING_AGREES of the round figure ("$2,000" and "$2,075" may be one
    # fee told two ways, or two fees: neither row is shown as a finding)
    if not (a.kind in ("count", "money", "measure") and round_figure_covers(a.number, b.number)):
        return False
    return not agreeing or abs(a.number - b.number) <= ROUNDING_AGREES * max(abs(a.number), abs(b.number))


def _sentence_text(o: _Obs) -> str:
    s0, e0 = _sentence_of(o.article, o.evidence.start)
    return o.article.text[s0:e0]


# the surface words of the toll classes, read in a count's whole sentence ("the blaze that
# killed at least 40 other militants": "killed" stands before the figure, outside its context)
_TOLL_WORDS = re.compile(r"\b(?P<death>dead|deaths?|died|dies|killed|kills|toll|fatalities)\b|"
                         r"\b(?P<injury>injured|injuries|wounded|hurt)\b|\b(?P<detain>detained|arrested|arrests)\b", re.I)


def _largest_tolls(obs: Sequence[_Obs]) -> dict[tuple[str, str], float]:
    """(article id, growing lemma) -> the largest count of it the article gives: its toll."""
    out: dict[tuple[str, str], float] = {}
    for o in obs:
        if o.kind == "count" and o.number is not None:
            said = {k for m in _TOLL_WORDS.finditer(_sentence_text(o)) for k, v in m.groupdict().items() if v}
            for lemma in (o.lemmas & GROWING_LEMMAS) | said:
                key = (o.article.id, lemma)
                out[key] = max(out.get(key, o.number), o.number)
    return out


def _is_toll(o: _Obs, tolls: dict[tuple[str, str], float]) -> bool:
    """A count of what the story's event did to people that is its article's largest such
    count ("42 died in the clashes", not "four died on one street" of the same article)."""
    grown = o.lemmas & GROWING_LEMMAS
    return o.kind == "count" and o.number is not None and bool(grown) and all(
        o.number >= tolls.get((o.article.id, lemma), o.number) for lemma in grown)


def _status(members: list[_Obs], tolls: dict[tuple[str, str], float] | None = None) -> str:
    sources = {m.source for m in members}
    if len(sources) < 2:
        return "single"
    values = {_identity(m) for m in members}
    if len(values) == 1:
        return "agree"
    pairs = [(x, y) for k, x in enumerate(members) for y in members[k + 1 :]]
    clash = [(x, y) for x, y in pairs if not _can_both_hold(x, y)]
    if not clash:
        # compatible is not the same: "at least four rockets" and "over 100 rockets" both hold
        return "agree" if all(_can_both_hold(x, y, agreeing=True) for x, y in pairs) else "single"
    # only values of one unit clash ("$5" vs "5 euros", "12 people" vs "12 officers" are two figures)
    if not all((x.unit or "") == (y.unit or "") for x, y in clash):
        return "single"
    # ... and only when both sentences speak of one moment (claims.same_moment: "in early
    # trade" and "in late afternoon trade" are two readings, not one figure told twice)
    if not all(same_moment(_sentence_text(x), _sentence_text(y)) for x, y in clash):
        return "single"
    # ... and only for one figure of one event: the toll of the story's event (what it did to
    # people: GROWING_LEMMAS, each side's largest such count; "four died on one street" is not
    # the "42 died in the clashes" of the city) is one figure per story; any other count or
    # amount is one only in two sentences that say the same thing but for that value
    # (claims.one_value_apart, the rule of conflicting claims): "a six-car wreck" and "a
    # four-car wreck" are two wrecks, "88 abortions performed on girls 14 and younger" and
    # "11,844 abortions performed in the state" two counts. Ages (one person) and years (matched
    # by their event's words) are kept.
    tolls = tolls if tolls is not None else _largest_tolls(members)
    if members[0].kind not in ("age", "year"):
        for x, y in clash:
            if not (_is_toll(x, tolls) and _is_toll(y, tolls) and x.lemmas & y.lemmas & GROWING_LEMMAS) \
                    and not one_value_apart(_sentence_text(x), _sentence_text(y)):
                return "single"
    lemmas = frozenset().union(*(m.lemmas for m in members))
    growing = members[0].kind == "count" and bool(lemmas & GROWING_LEMMAS)
    if growing and all(m.article.published for m in members) and all(m.number is not None for m in members):
        by_time = sorted(members, key=lambda m: m.article.published or "")
        numbers = [m.number for m in by_time]
        times = [m.article.published for m in by_time]
        rising = all(x <= y for x, y in zip(numbers, numbers[1:]))
        distinct_times = all(t1 < t2 for (t1, n1), (t2, n2) in zip(zip(times, numbers), zip(times[1:], numbers[1:])) if n1 != n2)
        if rising and distinct_times:
            return "update"
    return "disagree"


def _one_figure_each(rows: list[list[_Obs]], tolls: dict[tuple[str, str], float]) -> list[list[_Obs]]:
    """Rows whose outlets' values are not one figure ("single" with two sources: "1,000
    fighters" and "29" of another clause, two units, two moments) split into one row per value,
    so no row shows two outlets' different numbers as one figure."""
    out = []
    for members in rows:
        if len({m.source for m in members}) > 1 and _status(members, tolls) == "single":
            by_value: dict[tuple[str, str | None], list[_Obs]] = {}
            for m in members:
                by_value.setdefault(_identity(m), []).append(m)
            out.extend(by_value.values())
        else:
            out.append(members)
    return out


def number_table(articles: Sequence[Article]) -> tuple[NumberRow, ...]:
    """One row per subject and attribute with each independent outlet's value and evidence.

    Rows several outlets carry come first (disagreements and updates before agreements), then
    the figures only one outlet gives.
    """
    obs = _observations(articles)
    tolls = _largest_tolls(obs)
    rows: list[list[_Obs]] = []
    for o in obs:
        best, best_gain = None, -1.0
        for row in rows:
            head = row[0]
            # one value per article; two outlets of one wire source may both be listed
            if head.kind != o.kind or any(m.article.id == o.article.id or m.article.outlet == o.article.outlet for m in row):
                continue
            sim = max(_similarity(o, m) for m in row)
            gain = sim - _threshold(o, head)
            if gain >= 0 and gain > best_gain:
                best, best_gain = row, gain
        if best is None:
            rows.append([o])
        else:
            best.append(o)

    out = []
    for members in _one_figure_each(rows, tolls):
        head = members[0]
        attribute = head.kind
        subject = head.subject
        status = _status(members, tolls)
        values = tuple(NumberValue(m.article.outlet, m.value, m.evidence, m.article.published) for m in members)
        out.append(NumberRow(subject=subject, attribute=attribute, values=values, status=status))
    rank = {"disagree": 0, "update": 1, "agree": 2, "single": 3}
    out.sort(key=lambda r: rank[r.status])
    return tuple(out)
