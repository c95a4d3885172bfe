"""Syndication markers: which wire (news agency) a text credits, and where it says so.

Wire copy announces itself in a few conventional places:

* a dateline at the very start: ``WASHINGTON (AP) —``, ``LONDON, May 3 (Reuters) -``,
  ``(Wire Press) —``: any ``(NAME) —`` in the first line is read as a credit, the name
  mapped to a canonical wire name when it is a known agency;
* a byline naming an agency: ``By Associated Press``, ``By REUTERS``;
* credit and copyright lines: ``The Associated Press contributed to this report``,
  ``Reporting by ...; Editing by ...`` (Reuters' house style), ``© 2024 The Associated Press``,
  ``Copyright 2024 AFP``, a closing ``— AFP`` or ``Source: PA Media``.

``contributed to this report`` only counts when the name is a known agency or looks like an
organisation (Press, News, Agency, Wire, Media, Service): a reporter's name is not a wire.

``detect_wire`` reports every credit found with its span and a primary wire name;
``strip_wire_markers`` removes datelines and credit lines so that two copies of one wire
story hash the same whatever dateline style each outlet kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["KNOWN_WIRES", "WireCredit", "WireInfo", "canonical_wire", "detect_wire", "strip_wire_markers"]

# lower-cased spelling -> canonical wire name
KNOWN_WIRES: dict[str, str] = {
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "afp-jiji": "AFP",
    "pa": "PA Media",
    "pa media": "PA Media",
    "pa wire": "PA Media",
    "press association": "PA Media",
    "the press association": "PA Media",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "upi": "UPI",
    "united press international": "UPI",
    "dpa": "dpa",
    "deutsche presse-agentur": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "xinhua": "Xinhua",
    "yonhap": "Yonhap",
    "tass": "TASS",
    "interfax": "Interfax",
    "aap": "AAP",
    "australian associated press": "AAP",
    "cp": "Canadian Press",
    "canadian press": "Canadian Press",
    "the canadian press": "Canadian Press",
    "pti": "PTI",
    "press trust of india": "PTI",
    "ians": "IANS",
    "ani": "ANI",
    "bernama": "Bernama",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "apa": "APA",
    "belga": "Belga",
    "anp": "ANP",
    "ritzau": "Ritzau",
    "ntb": "NTB",
    "tt": "TT",
    "ap news": "AP",
}

# words that make "NAME contributed to this report" an organisation, not a reporter
_ORG_WORDS = re.compile(r"\b(?:Press|News|Agency|Agencies|Wire|Media|Service|Newswire|Presse)\b")

_DASH = r"[-\u2010-\u2015\u2212]"
# the dateline: an optional place (and date), then (NAME), then a dash or colon
_DATELINE = re.compile(
    r"\A\s*"
    r"(?:[A-Z][A-Za-z.'\u2019\- ]{0,40}?"  # PLACE, in capitals or title case
    r"(?:,\s*[A-Za-z.'\- ]{1,30}?)?"  # , Region or , Month Day
    r"(?:\s+\d{1,2})?"  # day number
    r"\s*)?"
    r"\((?P<name>[A-Z][A-Za-z.&'\u2019\- ]{0,38}[A-Za-z.])\)"
    r"\s*(?:" + _DASH + r"{1,2}|:)\s*"
)
_BYLINE = re.compile(r"\A\s*By\s+(?P<name>(?:The\s+)?[A-Z][A-Za-z.&'\- ]{1,40}?)\s*(?:\n|$|[|,;])", re.M)
_CONTRIBUTED = re.compile(
    r"(?P<name>(?:The\s+)?[A-Z][\w.&'\-]*(?:\s+[A-Z][\w.&'\-]*){0,4})\s+contributed\s+to\s+this\s+"
    r"(?:report|story|article)[^\n]*"
)
_REUTERS_STYLE = re.compile(r"\(?\s*Reporting by [^\n]{1,200}?(?:;|\n|\s)\s*(?:Additional reporting|Editing|Writing) by [^\n]*")
_COPYRIGHT = re.compile(
    r"(?:\u00a9|\(c\)|Copyright)\s*(?:\u00a9\s*)?(?:\d{4}\s+)?(?P<name>(?:The\s+)?[A-Z][A-Za-z.&'\- ]{1,40}?)"
    r"(?:\.|,|\s+All rights reserved|\s*$)[^\n]*",
    re.M,
)
_TRAILER = re.compile(
    r"(?:^|\n)\s*(?:" + _DASH + r"{1,2}\s*|Source:\s*|\(?\s*[Ww]ith\s+)"
    r"(?P<name>(?:The\s+)?[A-Z][A-Za-z.&'\- ]{1,30}?)\s*\)?\s*\Z"
)
_WITH_AGENCIES = re.compile(r"(?:^|\n)\s*(?:" + _DASH + r"\s*)?\(?\s*(?:with|additional reporting by)\s+(?:wire\s+)?agencies\s*\)?\s*\.?\s*\Z", re.I)


_TRAILER_CUES = ("-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "Source:", "ith ")


@dataclass(frozen=True)
class WireCredit:
    """One credit found in a text: ``kind`` is dateline, byline, credit or copyright."""

    name: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class WireInfo:
    """The credits found in a text, and the wire it is primarily from (``name``), if any."""

    name: str | None
    credits: tuple[WireCredit, ...] = ()

    @property
    def primary(self) -> bool:
        """True when the text *is* wire copy (dateline, byline or copyright), not only credits it."""
        return any(c.kind in ("dateline", "byline", "copyright") for c in self.credits)


def canonical_wire(name: str) -> str | None:
    """The canonical wire name for a spelling (``"Associated Press"`` -> ``"AP"``), else None."""
    key = re.sub(r"\s+", " ", name.strip().strip(".").lower())
    return KNOWN_WIRES.get(key)


def _generic_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip().strip("."))
    # "WIRE PRESS" and "Wire Press" are one name; short all-caps names are acronyms (AP, UPI)
    return name.title() if name.isupper() and len(name) > 5 else name


def detect_wire(text: str) -> WireInfo:
    """Find wire datelines, bylines and credit lines in ``text`` (see the module docstring).

    Cheap substring checks gate every regular expression: most texts carry no credit at all."""
    credits: list[WireCredit] = []
    head = text[:400]
    if "(" in head[:160]:
        m = _DATELINE.match(head)
        if m:
            raw = m.group("name")
            credits.append(WireCredit(canonical_wire(raw) or _generic_name(raw), "dateline", m.start(), m.end()))
    if head.lstrip()[:3] == "By ":
        m = _BYLINE.match(head)
        if m:
            name = canonical_wire(m.group("name"))
            if name:
                credits.append(WireCredit(name, "byline", m.start(), m.end()))
    at = text.find("contributed to th")
    while at >= 0:
        lo = max(0, at - 90)
        m = _CONTRIBUTED.search(text, lo, min(len(text), at + 300))
        if m:
            raw = re.sub(r"^(?:And|Also|Writers?|Reporters?)\s+", "", m.group("name"))
            name = canonical_wire(raw)
            if name is None and _ORG_WORDS.search(raw):
                name = _generic_name(raw)
            if name:
                credits.append(WireCredit(name, "credit", m.start(), m.end()))
        at = text.find("contributed to th", at + 1)
    if "Reporting by" in text:
        for m in _REUTERS_STYLE.finditer(text):
            credits.append(WireCredit("Reuters", "credit", m.start(), m.end()))
    tail_from = max(0, len(text) - 600)
    tail = text[tail_from:]
    if "\u00a9" in tail or "opyright" in tail or "(c)" in tail:
        for m in _COPYRIGHT.finditer(text, tail_from):
            name = canonical_wire(m.group("name"))
            if name:
                credits.append(WireCredit(name, "copyright", m.start(), m.end()))
    end_from = max(0, len(text) - 80)
    end = text[end_from:]
    m = None
    if any(x in end for x in _TRAILER_CUES):
        # a trailer is the last line ("- AP", "Source: Reuters", "(With AFP)"): a cue, at most
        # ~35 characters of name; a long last line (a paragraph ending in a dash) cannot be one
        body = text.rstrip()
        if len(body) - body.rfind("\n") <= 64:
            m = _TRAILER.search(text, end_from)
    if m:
        name = canonical_wire(m.group("name"))
        if name:
            credits.append(WireCredit(name, "credit", m.start(), m.end()))
    if "agencies" in text[end_from:].lower():
        m = _WITH_AGENCIES.search(text, end_from)
        if m:
            credits.append(WireCredit("agencies", "credit", m.start(), m.end()))
    return WireInfo(_primary_name(credits), tuple(sorted(credits, key=lambda c: c.start)))


def _primary_name(credits: list[WireCredit]) -> str | None:
    if not credits:
        return None
    for kind in ("dateline", "byline", "copyright"):
        for c in credits:
            if c.kind == kind:
                return c.name
    counts: dict[str, int] = {}
    for c in credits:
        counts[c.name] = counts.get(c.name, 0) + 1
    return max(counts, key=lambda n: counts[n])


def strip_wire_markers(text: str, info: WireInfo | None = None) -> str:
    """``text`` without its wire dateline and credit lines (used for hashing, never for display)."""
    info = info or detect_wire(text)
    if not info.credits:
        return text
    parts = []
    last = 0
    for c in info.credits:
        if c.start < last:
            continue
        parts.append(text[last : c.start])
        last = c.end
    parts.append(text[last:])
    return " ".join(parts)
