"""Numbers in news text, typed: one parser for every stage.

``values_in(text)`` finds every quantity a sentence states; ``parse_quantity(phrase)`` reads one
phrase (a spaCy CARDINAL/MONEY/PERCENT/QUANTITY entity); ``parse_number(phrase)`` is its exact
value or None. A ``Value`` is a range ``low..high`` with a qualifier, never a made-up point:

* exact: "157 people", "$1.8 billion", "3,400 stores", "5.5 percent" (low == high);
* approximate / at least / up to: "about 70" (approx), "more than 157" (min: high is None),
  "up to 48 years" (max, a duration, never a date);
* vague quantifiers are ranges and never exact: "dozens" 24..99, "hundreds of thousands"
  200,000..999,999, "tens of thousands" 20,000..99,999, "close to three dozen" about 36,
  "nearly a third" a fraction about 1/3 (no count at all);
* decades of age: "in his 50s" is an age 50..59, not a date;
* heights ("5-foot-11" is 71 inches) and scores ("won 3-1", "a 5-4 ruling") are their own kinds;
* not numbers: "zero in on", "one of", a pronoun "one", "a" and "an".

Only exact values may clash (``Value.exact``); a range agrees with every value inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from samestory.text.languages import CURRENCY_MARKS, Language, language_of

__all__ = ["Value", "values_in", "parse_quantity", "parse_number", "word_number", "not_quantities", "round_figure_covers"]

_UNITS_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALE = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "k": 1e3, "tn": 1e12}
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10}
# plural bare quantifiers: how many they can mean (a range, never a figure)
_VAGUE = {"dozens": (24, 99), "scores": (40, 199), "hundreds": (200, 999), "thousands": (2000, 9999),
          "millions": (2e6, 999e6), "billions": (2e9, 999e9), "tens": (20, 99)}
_QUALIFIERS = [
    ("more than", "min"), ("over", "min"), ("at least", "min"), ("upwards of", "min"), ("in excess of", "min"),
    ("no fewer than", "min"), ("no less than", "min"), ("up to", "max"), ("as many as", "max"),
    ("less than", "max"), ("fewer than", "max"), ("under", "max"), ("no more than", "max"), ("at most", "max"),
    ("nearly", "approx"), ("almost", "approx"), ("close to", "approx"), ("about", "approx"), ("around", "approx"),
    ("roughly", "approx"), ("approximately", "approx"), ("some", "approx"), ("an estimated", "approx"),
    ("estimated", "approx"), ("some", "approx"), ("just over", "approx"), ("just under", "approx"),
]
_CURRENCY = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "a$": "AUD", "c$": "CAD",
             "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP", "euro": "EUR", "euros": "EUR",
             "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "yuan": "CNY", "yen": "JPY",
             "cents": "cent", "cent": "cent", "pence": "GBp", "p": "GBp", "canadian": "CAD", "australian": "AUD"}
_DURATION = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century", "centuries"}
_MEASURE = {"mile", "kilometre", "kilometer", "km", "metre", "meter", "m", "foot", "feet", "ft", "inch", "inches",
            "yard", "acre", "hectare", "tonne", "ton", "kg", "kilogram", "pound", "lb", "gallon", "litre", "liter",
            "barrel", "mph", "kph", "degree", "point", "basis", "vote", "seat"}
_SCORE_CONTEXT = re.compile(
    r"\b(?:won|win|wins|beat|beats|lost|lose|loses|defeat(?:ed|s)?|draw|drew|lead|led|score|scored|victory|"
    r"ruled|rules|ruling|decision|vote|voted|majority|margin|tie|tied|series)\b", re.I)

_NUMWORD = "|".join(sorted([*_UNITS_ONES, *_TENS], key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?<![\w.])\.\d+"
_SCALE_WORDS = r"hundred|thousand|million|billion|trillion|bn|mn|tn|m|b|k"
_QUAL_RE = "|".join(re.escape(q) for q, _ in sorted(_QUALIFIERS, key=lambda x: -len(x[0])))

_NUMBER = re.compile(
    rf"(?P<qual>\b(?:{_QUAL_RE})\s+)?"
    rf"(?P<cur>US\$|A\$|C\$|[$£€¥])?\s?"
    rf"(?:(?P<digits>{_DIGITS})|(?P<words>\b(?:{_NUMWORD})(?:[\s-](?:{_NUMWORD}))?\b)|(?P<a>\ba\b|\ban\b))"
    rf"(?:[\s-]?(?P<scale>(?:{_SCALE_WORDS})\b)(?:\s(?P<scale2>million|billion|thousand)\b)?)?"
    rf"(?P<dozen>\s(?:dozen)\b)?"
    rf"(?P<frac>\s(?:half|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths)\b)?"
    rf"(?P<pct>\s?(?:%|per ?cent\b|percent\b))?",
    re.I,
)
_VAGUE_RE = re.compile(
    r"\b(?P<qual>(?:" + _QUAL_RE + r")\s+)?(?P<outer>tens|hundreds|thousands|millions|dozens|scores)"
    r"(?:\s+of\s+(?P<inner>thousands|millions|billions))?\b(?!\s+of\s+(?:the|them|these|those|us|you)\b)?", re.I)
_DECADE_AGE = re.compile(r"\b(?:in\s+)?(?:his|her|their|its|the)\s+(?:(?P<part>early|mid|late)[\s-]+)?"
                         r"(?P<dec>[2-9]0|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)'?s?\b",
                         re.I)
_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
                 "eighties": 80, "nineties": 90}
_HEIGHT = re.compile(r"\b(?P<ft>[4-7])[- ](?:foot|feet|ft)[- ,]*(?P<inch>\d{1,2})?(?:[- ](?:inches|inch|in)\b)?(?:\s*tall)?",
                     re.I)
_HEIGHT_MARK = re.compile(r"\b(?P<ft>[4-7])['’]\s?(?P<inch>\d{1,2})(?:\"|”|''|’’)")
_SCORE = re.compile(r"\b(?P<a>\d{1,3})[-–](?P<b>\d{1,3})\b(?![-–/]\d)")
_AGE = re.compile(r"\b(?P<n>\d{1,3})[- ]years?[- ]old\b|\baged\s(?P<m>\d{1,3})\b", re.I)
_NOT_NUMBER = re.compile(r"\bzero(?:es|ed|ing)?\s+in\b|\bone\s+(?:of|another|day|by one|or (?:two|another))\b|"
                         r"\bno\s+one\b|\bany\s*one\b|\bsome\s*one\b|\bevery\s*one\b|\bthe\s+one\b|\bthis\s+one\b|"
                         r"\bone['’]s\b|\bones\b|\ba\s+(?:few|lot|number|couple|bit|little)\b|\bat\s+one\s+point\b", re.I)
_YEAR = re.compile(r"^(1[6-9]\d\d|20\d\d)$")
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_NEAR = re.compile(rf"\s*(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTH}\b|[:/]\d|\s*(?:a\.m\.|p\.m\.|(?:am|pm|GMT|BST|EDT|EST|UTC|CET)\b)", re.I)
_DATE_BEFORE = re.compile(rf"\b{_MONTH}\s*$|[:/]\s*$|\d-$", re.I)
_DECADE_YEARS = re.compile(r"\b(?:the\s+)?(?:early\s+|mid\s+|late\s+|mid-)?(?P<y>1[6-9]\d0|20\d0)['’]?s\b", re.I)
_SPAN_RANGE = re.compile(r"\b(?:from|between)\s+(?P<lo>[$£€]?\d[\d,.]*(?:\s?(?:million|billion|m|bn))?)\s+(?:to|and)\s+"
                         r"(?P<hi>[$£€]?\d[\d,.]*(?:\s?(?:million|billion|m|bn))?)")
# "Lukashenko, 69," / "Ilse Varga, 76, a retired teacher": an age in apposition to a name
_AGE_APPOSITION = re.compile(r"\b(?P<name>[A-Z][\w’'\-]+),\s(?P<n>\d{1,3}),")
_NEXT_WORD = re.compile(r"[\s-]+(?:of\s+(?:the\s+)?)?([A-Za-z][\w’'\-]*)")


@dataclass(frozen=True)
class Value:
    """A quantity stated in a text: ``text[start:end]`` of the text it was found in.

    ``kind``: count, money, percent, fraction, year, duration, measure, age, height, score,
    ordinal. ``low``/``high`` bound it (``high`` None: no upper bound); ``qualifier`` is None
    (as written), approx, min, max or vague; ``unit`` the currency, duration or measure unit
    ("years", "miles", "USD", "in" for heights); ``about`` the word after it ("people", "stores").
    """

    kind: str
    low: float | None
    high: float | None
    text: str
    start: int = 0
    end: int = 0
    qualifier: str | None = None
    unit: str | None = None
    about: str | None = None

    @property
    def exact(self) -> bool:
        return self.qualifier is None and self.low is not None and self.low == self.high

    @property
    def value(self) -> float | None:
        """The figure when the text states one exactly (or approximately: the stated figure)."""
        if self.qualifier == "max":
            return self.high
        if self.qualifier in (None, "approx", "min"):
            return self.low
        return None

    @property
    def key(self) -> str:
        """A comparable identity of an exact value: kind, unit and figure."""
        figure = self.low if self.low is not None else self.high
        return f"{self.kind}:{self.unit or ''}:{figure:g}" if figure is not None else f"{self.kind}:{self.text.lower()}"

    def overlaps(self, other: Value) -> bool:
        """Whether both can be true at once: their ranges meet (an approximation within 10%)."""
        def bounds(v: Value) -> tuple[float, float]:
            lo = v.low if v.low is not None else float("-inf")
            hi = v.high if v.high is not None else float("inf")
            if v.qualifier == "approx":
                slack = 0.1 * max(abs(lo), abs(hi), 1.0)
                lo, hi = lo - slack, hi + slack
            if v.qualifier == "max":
                lo = float("-inf") if v.low is None or v.low == v.high else lo
            return lo, hi

        (a0, a1), (b0, b1) = bounds(self), bounds(other)
        return a0 <= b1 and b0 <= a1


def word_number(words: str) -> float | None:
    """"twenty-five" -> 25, "three" -> 3, "a hundred" -> 100, "two million" -> 2e6; None otherwise."""
    total, current, seen = 0.0, 0.0, False
    for w in re.split(r"[\s-]+", words.lower().strip()):
        if not w or w == "and":
            continue
        if w in ("a", "an") and not seen:
            current, seen = 1.0, True
        elif w in _UNITS_ONES:
            current += _UNITS_ONES[w]
            seen = True
        elif w in _TENS:
            current += _TENS[w]
            seen = True
        elif w == "hundred" and seen:
            current *= 100
        elif w in ("thousand", "million", "billion", "trillion") and seen:
            total += current * _SCALE[w]
            current = 0.0
        else:
            return None
    return total + current if seen else None


def _qualifier(phrase: str | None) -> str | None:
    if not phrase:
        return None
    p = " ".join(phrase.lower().split())
    return next((q for k, q in _QUALIFIERS if p == k), None)


def _about(text: str, end: int) -> str | None:
    m = _NEXT_WORD.match(text, end)
    if not m:
        return None
    w = m.group(1).lower()
    return None if w in ("the", "a", "an", "and", "or", "to", "in", "on", "at", "for", "of", "by", "was", "were", "is", "are") else w


def _singular(w: str | None) -> str | None:
    if not w:
        return w
    if w in ("centuries",):
        return "century"
    if w in ("feet",):
        return "foot"
    if w in ("inches",):
        return "inch"
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def _range(kind: str, low: float, high: float | None, qualifier: str | None) -> tuple[float | None, float | None]:
    if qualifier == "min":
        return low, None
    if qualifier == "max":
        return None, high
    return low, high


def values_in(text: str, language: str | None = None) -> tuple[Value, ...]:
    """Every quantity ``text`` states, in text order, non-overlapping (the more specific reading
    wins: a height or an age before a bare number). ``language`` (ISO 639-1, as ``Article.language``)
    picks that language's way of writing figures (``text.languages``); English by default."""
    lang = language_of(language)
    if lang is not None:
        return _language_values(text, lang)
    found: list[Value] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    def add(v: Value) -> None:
        if free(v.start, v.end):
            taken.append((v.start, v.end))
            found.append(v)

    for m in _NOT_NUMBER.finditer(text):
        taken.append((m.start(), m.end()))
    for m in _HEIGHT.finditer(text):
        inches = int(m.group("ft")) * 12 + int(m.group("inch") or 0)
        if m.group("inch") and int(m.group("inch")) > 11:
            continue
        add(Value("height", inches, inches, m.group(0).strip(), m.start(), m.start() + len(m.group(0).strip()), unit="in"))
    for m in _HEIGHT_MARK.finditer(text):
        inches = int(m.group("ft")) * 12 + int(m.group("inch"))
        add(Value("height", inches, inches, m.group(0), m.start(), m.end(), unit="in"))
    for m in _DECADE_AGE.finditer(text):
        raw = m.group("dec").lower()
        dec = _DECADE_WORDS.get(raw) or int(raw[:2])
        lo, hi = dec, dec + 9
        part = (m.group("part") or "").lower()
        if part == "early":
            hi = dec + 3
        elif part == "mid":
            lo, hi = dec + 3, dec + 6
        elif part == "late":
            lo = dec + 6
        add(Value("age", lo, hi, m.group(0), m.start(), m.end(), qualifier="vague", unit="years"))
    for m in _AGE.finditer(text):
        n = int(m.group("n") or m.group("m"))
        add(Value("age", n, n, m.group(0), m.start(), m.end(), unit="years"))
    for m in _DECADE_YEARS.finditer(text):
        start = int(m.group("y"))
        add(Value("year", start, start + 9, m.group(0), m.start(), m.end(), qualifier="vague"))
    for m in _SPAN_RANGE.finditer(text):
        lo, hi = (parse_number(m.group(g)) for g in ("lo", "hi"))
        if lo is not None and hi is not None and lo < hi:
            first = parse_quantity(m.group("lo"))
            add(Value(first.kind if first else "count", lo, hi, m.group(0), m.start(), m.end(), qualifier="range",
                      unit=first.unit if first else None))
    for m in _AGE_APPOSITION.finditer(text):
        n = int(m.group("n"))
        if 0 < n < 120:
            add(Value("age", n, n, m.group("n"), m.start("n"), m.end("n"), unit="years", about=m.group("name").lower()))
    for m in _SCORE.finditer(text):
        window = text[max(0, m.start() - 40) : m.end() + 30]
        if _SCORE_CONTEXT.search(window):
            a, b = int(m.group("a")), int(m.group("b"))
            add(Value("score", max(a, b), max(a, b), m.group(0), m.start(), m.end(), unit=f"{max(a, b)}-{min(a, b)}"))
    for m in _VAGUE_RE.finditer(text):
        outer, inner = m.group("outer").lower(), (m.group("inner") or "").lower()
        lo, hi = _VAGUE[outer]
        if inner:
            # "tens of thousands": 20,000..99,999; "hundreds of thousands": 200,000..999,999
            scale = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}[inner]
            base = {"tens": (20, 99), "hundreds": (200, 999), "dozens": (24, 99), "scores": (40, 199)}.get(outer, (2, 9))
            lo, hi = base[0] * scale, (base[1] + 1) * scale - 1
        s = m.start("outer") if not m.group("qual") else m.start()
        add(Value("count", lo, hi, text[s : m.end()], s, m.end(), qualifier="vague", about=_singular(_about(text, m.end()))))
    for m in _NUMBER.finditer(text):
        if not (m.group("digits") or m.group("words") or m.group("a")):
            continue
        core_start = m.start("cur") if m.group("cur") else (m.start("digits") if m.group("digits") else m.start("words") if m.group("words") else m.start("a"))
        qual = _qualifier(m.group("qual"))
        start = m.start() if qual else core_start
        end = m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if not free(core_start, end):
            continue
        cur = (m.group("cur") or "").lower()
        scale = (m.group("scale") or "").lower()
        if m.group("digits") and not cur and (_DATE_NEAR.match(text, m.end("digits")) or _DATE_BEFORE.search(text[max(0, core_start - 12):core_start])):
            continue  # a day of a month or a clock time: text/dates reads those
        if m.group("a"):
            # "a dozen", "a third", "a million": only with what makes it a quantity
            if not (m.group("dozen") or m.group("frac") or scale in ("hundred", "thousand", "million", "billion")):
                continue
            value = 1.0
        elif m.group("digits"):
            value = float(m.group("digits").replace(",", ""))
        else:
            value = word_number(m.group("words"))
            if value is None:
                continue
            if m.group("words").lower() == "one" and not (scale or m.group("frac") or m.group("pct")):
                # a lone "one" is mostly a pronoun or an article ("one of", "one man"): a count only with a noun after
                nxt = _about(text, end)
                if nxt is None:
                    continue
        # "5m" only with a currency (else it is a distance), "m"/"b" are never scales on their own words
        if scale in ("m", "b", "k") and not cur and not m.group("digits"):
            scale = ""
        if scale in ("m", "b", "k") and not cur and _counted_after(text, end):
            pass  # "808m views", "5.4m likes", "10k runners": a scale before what is counted
        elif scale in ("m", "b", "k") and not cur:
            # 400m of road is 400 metres: a bare letter scale needs a currency or a counted noun
            if scale == "m":
                lo, hi = _range("measure", value, value, qual)
                add(Value("measure", lo, hi, text[start:end], start, end, qualifier=qual, unit="metre"))
                continue
            end = m.end("digits")
            scale = ""
        if scale:
            value *= _SCALE[scale]
        if m.group("scale2"):
            value *= _SCALE[m.group("scale2").lower()]
        if m.group("dozen"):
            value *= 12
        text_span = text[start:end]
        if m.group("frac"):
            frac = m.group("frac").strip().lower().rstrip("s")
            fraction = _FRACTIONS.get(frac, 0.0) * value
            lo, hi = _range("fraction", fraction, fraction, qual)
            add(Value("fraction", lo, hi, text_span, start, end, qualifier=qual))
            continue
        if m.group("pct"):
            lo, hi = _range("percent", value, value, qual)
            add(Value("percent", lo, hi, text_span, start, end, qualifier=qual, unit="%"))
            continue
        after = _about(text, end)
        attached = _ATTACHED_UNIT.match(text, end)
        if attached and not cur and not m.group("pct"):
            after = attached.group(1).lower()  # "117kg", "48km": a measure, not a count
        unit_word = _singular(after)
        if after in ("pound", "pounds") and not cur and not scale:
            # a bare "260 pounds" is a weight as often as money: read as the weight (no £ to tell)
            lo, hi = _range("measure", value, value, qual)
            add(Value("measure", lo, hi, text_span, start, end, qualifier=qual, unit="pound"))
            continue
        if cur or after in _CURRENCY and after not in ("p", "pound", "pounds") or (after in ("pound", "pounds") and not cur):
            if cur or after in _CURRENCY:
                code = _CURRENCY.get(cur) or _CURRENCY.get(after or "")
                lo, hi = _range("money", value, value, qual)
                add(Value("money", lo, hi, text_span, start, end, qualifier=qual, unit=code))
                continue
        digits = m.group("digits") or ""
        if digits and not scale and not qual and _YEAR.match(digits) and unit_word not in _DURATION | _MEASURE:
            add(Value("year", value, value, text_span, start, end))
            continue
        if unit_word in _DURATION:
            lo, hi = _range("duration", value, value, qual)
            add(Value("duration", lo, hi, text_span, start, end, qualifier=qual, unit=unit_word + "s"))
            continue
        if unit_word in _MEASURE:
            lo, hi = _range("measure", value, value, qual)
            add(Value("measure", lo, hi, text_span, start, end, qualifier=qual, unit=unit_word))
            continue
        if digits and re.match(r"\d{1,2}(?:st|nd|rd|th)\b", text[m.start("digits"):m.start("digits") + 4]):
            continue  # an ordinal day ("the 3rd"): dates are text/dates' business
        lo, hi = _range("count", value, value, qual)
        add(Value("count", lo, hi, text_span, start, end, qualifier=qual, about=_singular(after)))
    found.sort(key=lambda v: v.start)
    return tuple(_join_alternatives(text, found))


_ATTACHED_UNIT = re.compile(r"(kg|km|lbs?|mph|kph|cm|mm|ft)\b", re.I)


def _join_alternatives(text: str, found: list[Value]) -> list[Value]:
    """"eight or nine homes" is one count between 8 and 9, not an 8 and a 9."""
    out: list[Value] = []
    for v in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == v.kind == "count" and prev.about is None and prev.exact and v.exact
                and text[prev.end : v.start].lower() == " or " and prev.low < v.low):
            out[-1] = Value("count", prev.low, v.high, text[prev.start : v.end], prev.start, v.end, about=v.about)
            continue
        out.append(v)
    return out


def round_figure_covers(a: float, b: float) -> bool:
    """Whether one of two amounts is a round figure (a whole number of hundreds or more: 300,
    4,000, 3 million) the other rounds to ("killed 300 people" and "296": one toll told two
    ways). 30 and 32 stay two ages; 4,300 and 3,400 two counts. Never for years or dates."""
    for x, y in ((a, b), (b, a)):
        if x and x == int(x) and int(x) % 100 == 0:
            zeros = len(str(int(abs(x)))) - len(str(int(abs(x))).rstrip("0"))
            if round(y, -zeros) == x:
                return True
    return False


def not_quantities(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` no stage should read as a plain count or a date: "zero in on", a
    pronoun "one", heights, scores, fractions and vague quantifiers (which ``values_in`` types)."""
    spans = [(m.start(), m.end()) for m in _NOT_NUMBER.finditer(text)]
    spans += [(v.start, v.end) for v in values_in(text)
              if v.kind in ("height", "score", "fraction") or v.qualifier == "vague"]
    return spans


def parse_quantity(phrase: str, language: str | None = None) -> Value | None:
    """The quantity one phrase states (the first one), or None."""
    vs = values_in(phrase, language)
    return vs[0] if vs else None


def parse_number(phrase: str) -> float | None:
    """The figure a phrase states: "at least 157" -> 157, "3,210", "1.5 million", "£2bn",
    "twenty", "a third" -> 0.333; None for no number and for vague quantifiers ("hundreds")."""
    v = parse_quantity(phrase)
    if v is not None:
        return v.value
    low = phrase.lower().strip()
    if low in _ORDINALS:
        return float(_ORDINALS[low])
    return None


# ---------------------------------------------------------------- other languages

_GROUPED = {
    "dot": r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?",
    "space": r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?",
}
_MARKS_RE = "|".join(re.escape(c) for c in sorted(CURRENCY_MARKS, key=len, reverse=True))
# the word after a figure, past a "de"/"di"/"of" ("2,5 millions de personnes")
_WORD_AFTER = re.compile(r"\.?[\s\u00a0]*(?:(?:de|d['’]|di|da|des|du|of)\s*(?=[^\W\d_]))?([^\W\d_][\w’'\-]*)", re.I)
_PAREN_AGE = re.compile(r"(?P<name>[^\W\d_][\w’'\-]+)\s\((?P<n>\d{1,3})\)")
_LANG_READERS: dict[str, re.Pattern] = {}


def _words_re(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _reader(lang: Language) -> re.Pattern:
    """The number pattern of one language: qualifier, currency mark, grouped digits, scale, percent."""
    if lang.code not in _LANG_READERS:
        _LANG_READERS[lang.code] = re.compile(
            rf"(?P<qual>(?<!\w)(?:{_words_re(lang.qualifiers)})\s+)?"
            rf"(?P<cur>{_MARKS_RE})?\s?"
            rf"(?<![\d.,])(?P<digits>{_GROUPED[lang.grouping]})(?![\d])"
            rf"(?:[\s\u00a0]?(?P<scale>(?:{_words_re(lang.scales)}))(?!\w))?"
            rf"(?P<pct>[\s\u00a0]?(?:%|(?:{_words_re(lang.percent) or '%'})(?!\w)))?"
            rf"(?P<curafter>[\s\u00a0]?(?:{_MARKS_RE}))?",
            re.I,
        )
    return _LANG_READERS[lang.code]


def _figure(digits: str, grouping: str) -> float:
    """ "1.234,5" (dot grouping) or "1 234,5" (space grouping) -> 1234.5."""
    core = digits.replace(".", "") if grouping == "dot" else re.sub(r"[ \u00a0\u202f]", "", digits)
    return float(core.replace(",", "."))


def _language_values(text: str, lang: Language) -> tuple[Value, ...]:
    """``values_in`` for a language other than English: figures as that language writes them
    ("3,5 Millionen", "12.000", "12 000"), its scale, percent, qualifier, currency and unit words;
    a day of a month ("12. Mai", "12 мая") is left to ``text.dates``. Units come out in English
    so the same figure has the same ``Value.key`` in every language."""
    found: list[Value] = []
    taken: list[tuple[int, int]] = []

    def add(v: Value) -> None:
        if not any(a < v.end and v.start < b for a, b in taken):
            taken.append((v.start, v.end))
            found.append(v)

    for m in _PAREN_AGE.finditer(text):  # "Lukaschenko (69)": an age in brackets after a name
        n = int(m.group("n"))
        if 0 < n < 120 and m.group("name")[0].isupper():
            add(Value("age", n, n, m.group("n"), m.start("n"), m.end("n"), unit="years", about=m.group("name").lower()))
    for m in _reader(lang).finditer(text):
        qual = lang.qualifiers.get(" ".join((m.group("qual") or "").lower().split())) if m.group("qual") else None
        start = m.start() if qual else (m.start("cur") if m.group("cur") else m.start("digits"))
        end = m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        digits, scale = m.group("digits"), (m.group("scale") or "").lower()
        nxt = _WORD_AFTER.match(text, m.end())
        after = nxt.group(1).lower() if nxt else ""
        if after + "." in lang.currencies and text[nxt.end(1):nxt.end(1) + 1] == ".":
            after += "."  # "руб."
        if not scale and not m.group("pct") and after in lang.months:
            continue  # "12. Mai", "12 мая": a date
        if re.match(r"[.:/]\d", text[m.end("digits"):m.end("digits") + 2]):
            continue  # "12.05.2024", "10:30": a date or a clock time
        value = _figure(digits, lang.grouping)
        if scale:
            value *= lang.scales[scale]
        span = text[start:end]
        before = text[max(0, start - 12):start].lower()
        cur = CURRENCY_MARKS.get((m.group("cur") or m.group("curafter") or "").strip().lower())
        if m.group("pct"):
            lo, hi = _range("percent", value, value, qual)
            add(Value("percent", lo, hi, span, start, end, qualifier=qual, unit="%"))
            continue
        if cur or after in lang.currencies:
            code = cur or lang.currencies[after]
            if not cur and nxt:
                end, span = nxt.end(1), text[start:nxt.end(1)]
            lo, hi = _range("money", value, value, qual)
            add(Value("money", lo, hi, span, start, end, qualifier=qual, unit=code))
            continue
        tail = text[m.end("digits"):m.end("digits") + 16].lower().lstrip()
        if any(before.rstrip().endswith(w) for w in lang.age_before) or any(tail.startswith(w) for w in lang.age_after):
            if value == int(value) and 0 < value < 120:
                add(Value("age", value, value, span, start, end, unit="years"))
                continue
        if not scale and not qual and _YEAR.match(digits) and after not in lang.durations:
            add(Value("year", value, value, span, start, end))
            continue
        if after in lang.durations:
            lo, hi = _range("duration", value, value, qual)
            add(Value("duration", lo, hi, span, start, end, qualifier=qual, unit=lang.durations[after]))
            continue
        if after in lang.measures:
            lo, hi = _range("measure", value, value, qual)
            add(Value("measure", lo, hi, span, start, end, qualifier=qual, unit=lang.measures[after]))
            continue
        lo, hi = _range("count", value, value, qual)
        add(Value("count", lo, hi, span, start, end, qualifier=qual, about=after or None))
    found.sort(key=lambda v: v.start)
    return tuple(found)


_COUNTED_AFTER = re.compile(r"\s+(?:[a-z]+-)?(?P<noun>[a-z]+)\b")
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "police"})
_NOT_COUNTED = frozenset({"hurdles", "metres", "meters", "yards", "miles", "laps", "relays", "heats", "finals",
                          "is", "was", "has", "this", "its", "as", "s"})


def _counted_after(text: str, end: int) -> bool:
    """Whether a plural noun follows a number with a letter scale ("808m views", "5.4m likes",
    "10k runners"): then "m" is million, not metres ("the 400m relay", "a 30m drop")."""
    m = _COUNTED_AFTER.match(text, end)
    if not m:
        return False
    noun = m.group("noun").lower()
    if noun in _NOT_COUNTED:
        return False
    return noun in _IRREGULAR_PLURALS or (len(noun) > 3 and noun.endswith("s") and not noun.endswith("ss"))
