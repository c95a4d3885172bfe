"""Typed quantities: counts with what they count, ages, years and dates, money, percentages, ordinals.

spaCy's numeric entities (CARDINAL, DATE, MONEY, PERCENT, QUANTITY, ORDINAL) give the spans; the
dependency parse gives what each number is about:

* a count is about the noun it modifies ("157 people", "65 prisoners of war", "20 independent
  analysts"), with the verb when that noun is its subject ("people detained"), or about a relative
  clause when the number stands alone ("74 who died");
* an age is about the person it follows in apposition ("Lukashenko, 69,"), the person or noun
  before "aged 42", or the noun after "71-year-old" (a bare "the 71-year-old" is the nearest person);
* a year or date is about the subject of the clause it dates ("who has been in power since 1994"
  -> the person) or the noun it modifies ("re-election in 2020").

Relative dates ("on Sunday", "yesterday", "last year") are resolved against the published date when
it is known and land in ``normalized`` (ISO ``YYYY-MM-DD``, or ``YYYY`` / ``YYYY-MM``).

Values are read by the one number parser, ``samestory.text.numbers`` (``parse_quantity``), and
date phrases by ``samestory.text.dates.resolve_date``: vague quantifiers ("hundreds of
thousands"), heights, scores, fractions, decades of age and "zero in on" never become a count
or a date; "about" / "at least" / "up to" land in ``qualifier``.
"""

from __future__ import annotations

import datetime as dt
import re

from samestory.enrich.entities import EntityIndex, entity_key
from samestory.models import Quantity, Span
from samestory.text.dates import days_in, published_date, resolve_date
from samestory.text.languages import language_of
from samestory.text.numbers import not_quantities, parse_number, parse_quantity, values_in

__all__ = ["parse_number", "published_date", "resolve_date", "extract_quantities"]

_CURRENCY = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP",
             "euro": "EUR", "euros": "EUR", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "yuan": "CNY"}
# a day named relative to publication: kept unresolved (normalized None) when the date is unknown
_RELATIVE_DAY = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|tonight)\b", re.I)
_DURATION_UNITS = ("second", "minute", "hour", "day", "week", "month", "year", "decade", "century", "centuries")


_FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "’ll", "wo"})
# "is due to begin on Monday", "plans to reopen on Friday": the infinitive's time is ahead
# (word forms: the ingest's pipeline runs without a lemmatizer)
_AHEAD_HEADS = frozenset({
    "due", "set", "expected", "expects", "expect", "scheduled", "plan", "plans", "planned", "planning",
    "going", "intends", "intend", "intended", "aims", "aim", "hopes", "hope", "hoped", "vowed", "vows",
    "promised", "promises", "poised", "slated"})


def _refers_ahead(ent) -> bool:
    """Whether a weekday or relative date looks ahead of the publication: read from the verb it
    belongs to, not the sentence ("said on Monday he will resign": Monday is past).

    Ahead: the verb has a future auxiliary ("will", "'ll", "shall", and "would" in reported
    speech, "said the inquiry would begin on Monday") without a perfect ("would have begun"),
    or it is the infinitive of "due/set/expected/scheduled/plans ... to". Without a verb (a
    fragment), the sentence's "will" or "shall" decides, as before."""
    tok = ent.root
    for _ in range(4):  # up from the date ("on Monday" -> "begin") to its verb
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return any(t.lower_ in ("will", "shall") for t in ent.sent)
    aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if aux & _FUTURE_AUX and not aux & {"have", "had", "'ve", "’ve"}:
        return True
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and tok.dep_ in ("xcomp", "ccomp", "advcl"):
        return tok.head.lower_ in _AHEAD_HEADS
    return False


def _noun_phrase(tok, max_words: int = 6) -> str:
    """"independent analysts", "prisoners of war": adjectives and compounds, plus an "of" phrase."""
    left = [c for c in tok.lefts if c.dep_ in ("amod", "compound") and not c.like_num]
    words = [*left, tok]
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            obj = [g for g in c.children if g.dep_ == "pobj"]
            if obj and len(list(obj[0].subtree)) <= 3:
                words += [c, *obj[0].subtree]
    words.sort(key=lambda t: t.i)
    words = words[:max_words]
    return tok.doc[words[0].i : words[-1].i + 1].text


def _clause_subject(tok):
    """The subject of the clause ``tok`` sits in (through relative "who")."""
    v = tok
    for _ in range(5):
        if v.pos_ in ("VERB", "AUX"):
            for c in v.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    if c.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
                        return v.head
                    return c
        if v.head is v:
            return None
        v = v.head
    return None


class _About:
    def __init__(self, index: EntityIndex, doc):
        self.index, self.doc = index, doc

    def entity(self, tok):
        e = self.index.at(tok.idx, tok.idx + len(tok))
        return e

    def of_token(self, tok) -> tuple[str | None, str | None]:
        if tok is None:
            return None, None
        e = self.entity(tok)
        if e is not None:
            return e.name, e.key
        if tok.pos_ == "PRON" and tok.lower_ in ("he", "she"):
            from samestory.enrich.quotes import _Context, resolve_pronoun

            e = resolve_pronoun(_Context(self.doc, self.index, []), tok)
            return (e.name, e.key) if e is not None else (tok.text, None)
        return _noun_phrase(tok), None


def extract_quantities(doc, index: EntityIndex, published: str | None = None,
                       language: str | None = None) -> list[Quantity]:
    """Typed quantities of one parsed article, in text order. An article in another language
    than English is read by that language's rules (``text.languages``): the English parse's
    number entities are not trusted there."""
    text = doc.text
    pub = published_date(published)
    if language_of(language) is not None:
        return _language_quantities(text, pub, language)
    about = _About(index, doc)
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(q: Quantity) -> None:
        if any(s < q.span.end and q.span.start < e for s, e in taken):
            return
        taken.append((q.span.start, q.span.end))
        out.append(q)

    _ages(doc, index, about, add)
    # heights, scores, fractions, vague quantifiers, "zero in on": never a count or a date
    special = not_quantities(text)
    for ent in doc.ents:
        label = ent.label_
        if label not in ("CARDINAL", "DATE", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
            continue
        if any(s < ent.end_char and ent.start_char < e for s, e in special):
            continue
        span = Span(ent.start_char, ent.end_char)
        root = ent.root
        if label in ("MONEY", "PERCENT"):
            v = parse_quantity(ent.text)
            if v is None or v.value is None:
                continue  # "millions of dollars": a range, not a figure
            if label == "MONEY":
                # the symbol may stand just before the entity ("£169.99" is tagged "169.99")
                before = text[max(0, ent.start_char - 3) : ent.start_char]
                unit = next((c for sym, c in _CURRENCY.items() if sym in ent.text.lower()), None) or next(
                    (c for sym, c in _CURRENCY.items() if len(sym) == 1 and before.rstrip().endswith(sym)), None)
            else:
                unit = "%"
            name, key = _attached(about, root)
            add(Quantity(ent.text, span, "money" if label == "MONEY" else "percent", v.value, unit, name, key,
                         qualifier=v.qualifier))
        elif label == "ORDINAL":
            head = root.head if root.dep_ == "amod" else root
            add(Quantity(ent.text, span, "ordinal", parse_number(ent.text), None, _noun_phrase(head) if head is not root else None))
        elif label == "DATE":
            future = _refers_ahead(ent)
            kind, norm, value = resolve_date(ent.text, pub, future=future)
            if kind == "age" or (kind == "date" and norm is None and not _RELATIVE_DAY.search(ent.text)):
                continue  # "in his 50s", "Spring", "more than two years ago": no value to compare
            if kind == "duration":
                unit = next((u + "s" for u in _DURATION_UNITS if u in ent.text.lower()), None)
                since = ent.end < len(doc) and doc[ent.end].lower_ in ("since", "after", "of")
                target = None
                if since:
                    link = doc[ent.end]
                    obj = [c for c in link.children if c.dep_ in ("pobj", "pcomp")]
                    if not obj and link.dep_ == "mark":  # "80 years since the first crossing opened"
                        obj = [link.head]
                    if obj:
                        sub = [t for t in obj[0].subtree if t.i > link.i][:10]
                        # the event only: stop at a dash or a bracket, drop trailing punctuation
                        # ("the end of the siege on Leningrad – the name of the city then")
                        cut = next((k for k, t in enumerate(sub) if t.text in {"–", "—", "--", "(", ";", ":"}), len(sub))
                        sub = sub[:cut]
                        while sub and sub[-1].is_punct:
                            sub.pop()
                        target = doc[sub[0].i : sub[-1].i + 1].text if sub else None
                dv = parse_quantity(ent.text)
                add(Quantity(ent.text, span, "duration", value, unit, target, qualifier=dv.qualifier if dv else None))
            else:
                name, key = _attached(about, root)
                add(Quantity(ent.text, span, kind, value, None, name, key, norm))
        else:  # CARDINAL / QUANTITY
            glued = _glued_scale(doc, ent)
            if glued is not None:  # "808m views" (million) or "300m tall" (metres): read with what follows
                v = parse_quantity(text[ent.start_char : glued.idx + len(glued.text) + 40])
                if v is not None and v.start == 0 and v.value is not None:
                    span = Span(ent.start_char, glued.idx + len(glued.text))
                    if v.kind == "count" and glued.i + 1 < len(doc):
                        noun = doc[glued.i + 1]
                        e = about.entity(noun)
                        name, key = (e.name, e.key) if e is not None else (_noun_phrase(noun), None)
                        add(Quantity(text[span.start:span.end], span, "count", v.value, noun.text, name, key,
                                     qualifier=v.qualifier))
                        continue
                    if v.kind in ("measure", "money"):
                        name, key = _attached(about, root)
                        add(Quantity(text[span.start:span.end], span, v.kind, v.value, v.unit, name, key,
                                     qualifier=v.qualifier))
                        continue
            v = parse_quantity(ent.text)
            if v is None or v.value is None or v.kind in ("height", "score", "fraction") or (
                    v.kind == "count" and v.text.lower() != ent.text.lower().strip() and v.start > 0 and not v.qualifier):
                continue  # vague ("hundreds of thousands"), a height or a score, or not a count at all
            value = v.value
            if label == "CARDINAL" and re.fullmatch(r"(1[5-9]\d\d|20\d\d)", ent.text.strip()):
                name, key = _attached(about, root)
                add(Quantity(ent.text, span, "year", value, None, name, key, ent.text.strip()))
                continue
            if v.kind == "measure":  # "260 pounds", "117kg": a weight or a distance, never a count
                name, key = _attached(about, root)
                add(Quantity(ent.text, span, "measure", value, v.unit, name, key, qualifier=v.qualifier))
                continue
            name, key, unit = _counted(about, root)
            add(Quantity(ent.text, span, "count", value, unit, name, key, qualifier=v.qualifier))
    out.sort(key=lambda q: q.span.start)
    return out


def _language_quantities(text: str, pub: dt.date | None, language: str) -> list[Quantity]:
    """Quantities of a non-English text: every exact or bounded figure ``values_in`` reads and
    every day-month phrase, resolved against the published day (no parse: what a count is about
    is the word after it)."""
    out: list[Quantity] = []
    for v in values_in(text, language):
        if v.qualifier == "vague" or v.value is None:
            continue
        out.append(Quantity(v.text, Span(v.start, v.end), v.kind, v.value, v.unit, v.about,
                            normalized=f"{v.value:.0f}" if v.kind == "year" else None, qualifier=v.qualifier))
    for _kind, _md, s, e in days_in(text, language):
        if any(q.span.start < e and s < q.span.end for q in out):
            continue
        kind, norm, _ = resolve_date(text[s:e], pub, language=language)
        if norm is not None:
            out.append(Quantity(text[s:e], Span(s, e), kind, None, None, None, normalized=norm))
    out.sort(key=lambda q: q.span.start)
    return out


_LETTER_SCALES = frozenset({"m", "mn", "bn", "b", "k"})


def _glued_scale(doc, ent):
    """The token right after a number entity, written against it, that is a letter scale or unit
    ("808m", "5.4bn", "10k"): spaCy leaves it outside the entity."""
    if ent.end >= len(doc):
        return None
    nxt = doc[ent.end]
    return nxt if nxt.idx == ent.end_char and nxt.lower_ in _LETTER_SCALES else None


def _counted(about: _About, tok) -> tuple[str | None, str | None, str | None]:
    """What a count counts: the modified noun (+ its verb when it is the subject), or a relative clause."""
    if tok.dep_ in ("nummod", "quantmod") or (tok.dep_ == "compound" and tok.head.pos_ == "NOUN"):
        noun = tok.head
        while noun.dep_ == "nummod" and noun.head is not noun:
            noun = noun.head
        e = about.entity(noun)
        if e is not None:
            return e.name, e.key, noun.text
        phrase = _noun_phrase(noun)
        if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ == "VERB":
            phrase = f"{phrase} {noun.head.text}"
        return phrase, None, noun.text
    rel = [c for c in tok.children if c.dep_ == "relcl"]
    if rel:
        verb = rel[0]
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        return " ".join(t.text for t in (subj[:1] + [verb])), None, None
    for c in tok.children:  # "20 of the prisoners"
        if c.dep_ == "prep" and c.lower_ == "of":
            obj = [g for g in c.children if g.dep_ == "pobj"]
            if obj:
                return _noun_phrase(obj[0]), None, obj[0].text
    return None, None, None


def _attached(about: _About, tok) -> tuple[str | None, str | None]:
    """What a date, sum or share is about: the noun it modifies, or the subject of its clause."""
    head = tok.head
    if head.dep_ == "prep" or head.pos_ == "ADP":
        head = head.head
    if head.pos_ in ("NOUN", "PROPN") and head is not tok:
        return about.of_token(head)
    subj = _clause_subject(head)
    return about.of_token(subj) if subj is not None else (None, None)


_AGE_APPOS = re.compile(r"\s*,\s*(?:aged\s+)?(\d{1,3})\s*(?=[,.;)]|\s+(?:and|who|was|is|has|had|said)\b)")
_AGE_WORDS = re.compile(r"\b(?:aged\s+(\d{1,3})|(\d{1,3})[- ]years?[- ]old)\b", re.I)


_NOT_NAMES = frozenset(
    "grandmother grandfather granny grandad mother father mum dad widow widower pensioner teacher "
    "baker farmer nurse doctor dr mr mrs ms miss sir dame lady lord".split()
)


def _ages(doc, index: EntityIndex, about: _About, add) -> None:
    text = doc.text
    stated: dict[int, tuple[str, str]] = {}  # age -> the person the text gave it ("Tomas Revel, 20,")
    for e in index.persons():
        for m in e.mentions:
            a = _AGE_APPOS.match(text, m.end)
            if a and 0 < int(a.group(1)) < 125:
                stated.setdefault(int(a.group(1)), (e.name, e.key))
                add(Quantity(a.group(1), Span(a.start(1), a.end(1)), "age", float(a.group(1)), "years", e.name, e.key))
    # the small model misses some people ("Ilse Varga, 76," tagged ORG or nothing): a number in
    # apposition after a run of proper nouns is still an age, never a two-digit year
    for tok in doc:
        if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass", "appos", "pobj", "dobj", "attr"):
            # a role or a common noun with the same apposition: "The town clerk, 61, said"
            a = _AGE_APPOS.match(text, tok.idx + len(tok.text))
            if a and 0 < int(a.group(1)) < 125:
                name, key = about.of_token(tok)
                add(Quantity(a.group(1), Span(a.start(1), a.end(1)), "age", float(a.group(1)), "years", name, key))
            continue
        if tok.pos_ != "PROPN" or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN"):
            continue
        a = _AGE_APPOS.match(text, tok.idx + len(tok.text))
        if not a or not 0 < int(a.group(1)) < 125:
            continue
        first = tok.i
        while first > 0 and doc[first - 1].pos_ == "PROPN" and "\n" not in doc[first - 1].whitespace_:
            first -= 1
        while first < tok.i and doc[first].lower_ in _NOT_NAMES:  # "Grandmother Ilse Varga"
            first += 1
        name = doc[first : tok.i + 1].text
        known = index.named(name)
        add(Quantity(a.group(1), Span(a.start(1), a.end(1)), "age", float(a.group(1)), "years",
                     known.name if known else name, known.key if known else entity_key(name)))
    for a in _AGE_WORDS.finditer(text):
        num = a.group(1) or a.group(2)
        span = Span(a.start(), a.end())
        tokens = doc.char_span(a.start(), a.end(), alignment_mode="expand")
        name, key, common = None, None, None
        if tokens is not None and len(tokens):
            last = tokens[-1]
            nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
            nominal_head = last.head.i > last.i and not any(c.dep_ == "dobj" for c in last.head.children)  # a noun takes no object: "the 61-year-old cut the ribbon"
            if a.group(2) and last.dep_ in ("amod", "compound") and nominal_head:
                name, key = about.of_token(last.head)  # "the 71-year-old leader", "71-year-old Putin"
                if key is None:
                    # not a named person: the bare noun ("the 34-year-old singer" is of "singer",
                    # never "old singer": guessing who the singer is could name the wrong person);
                    # a head that is no noun goes to the rule below
                    common = last.head.text.lower() if last.head.pos_ == "NOUN" else None
                    name = None
            elif a.group(1):  # "a man aged 42", "Smith, aged 42"
                prev = [t for t in doc[tokens[0].sent.start : tokens[0].i] if not t.is_punct]
                if prev:
                    name, key = about.of_token(prev[-1])
            # "the 71-year-old": the nearest person named before; never a predicate of some other
            # subject ("the children were said to be 5 to 10 years old" is no age of the gunman)
            if name is None and common is None and re.search(r"\bthe\s+$", text[max(0, a.start() - 5) : a.start()], re.I):
                # "the 20-year-old": the person the text gave that age, else one named in this
                # sentence or the one before; further back it is as likely someone the tagger
                # missed ("its creator, PSY") as the last name it found
                sent = tokens[0].sent if tokens is not None and len(tokens) else None
                reach = (doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char) if sent is not None else a.start()
                before = [(s.start, p) for p in index.persons() for s in p.mentions if reach <= s.start and s.end <= a.start()]
                if int(num) in stated:
                    name, key = stated[int(num)]
                elif before:
                    p = max(before, key=lambda x: x[0])[1]
                    name, key = p.name, p.key
            if name is None:
                name = common
        add(Quantity(num, span, "age", float(num), "years", name, key))
