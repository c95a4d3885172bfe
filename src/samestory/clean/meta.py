"""Who published a page, what it is called and what kind of piece it is: from the page's own metadata.

- ``page_identity(tree)``: the names a page gives itself (``og:site_name``, the JSON-LD publisher's name,
  ``application-name``) and the genre signals it states (``og:type``, ``article:section``, JSON-LD ``@type`` and
  ``articleSection``). Read before trafilatura prunes the tree.
- ``outlet_name(...)``: the outlet, in order of trust: the page's site name, its JSON-LD publisher, its
  application name, then its canonical host. Names are tidied: rating stars and taglines ("Site - Slogan") go, a
  legal suffix ("GmbH", "e.V.") goes from a publisher's legal name.
- ``strip_site_from_title(title, names, host)``: "Headline - Site", "Headline | Site", "Site: Headline" lose the
  site part when it is one of the page's own names or its host.
- ``genre_of(...)``: "opinion", "analysis" or "news" where the page says so, else None.
- ``outlet_from_footer(text)``: the newsroom a footer names ("This story was written by X", "email us at
  news@example.com").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = ["PageIdentity", "page_identity", "outlet_name", "tidy_site_name", "strip_site_from_title", "genre_of",
           "outlet_from_footer", "GENRES"]

GENRES = ("news", "opinion", "analysis")
MAX_LD_SCRIPTS = 8  # JSON-LD blocks read per page (pages with more are feeds of other items)
MAX_SITE_WORDS = 6  # a title part longer than this is part of the headline, never the site's name


@dataclass(frozen=True)
class PageIdentity:
    og_site_name: str | None = None
    publisher: str | None = None
    application_name: str | None = None
    og_type: str | None = None
    sections: tuple[str, ...] = ()
    ld_types: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.og_site_name, self.publisher, self.application_name) if n)


_WS = re.compile(r"\s+")


def _norm(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    return _WS.sub(" ", text).strip() or None


def page_identity(tree: Any) -> PageIdentity:
    """The page's own site names and genre signals (see the module docstring)."""
    og = app = og_type = None
    sections: list[str] = []
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key not in ("og:site_name", "application-name", "og:type", "article:section"):
            continue
        val = _norm(el.get("content"))
        if not val:
            continue
        if key == "og:site_name" and og is None:
            og = val
        elif key == "application-name" and app is None:
            app = val
        elif key == "og:type" and og_type is None:
            og_type = val.lower()
        elif key == "article:section":
            sections.append(val)
    publisher = None
    ld_types: list[str] = []
    for n, el in enumerate(tree.xpath('//script[contains(@type, "ld+json")]')):
        if n >= MAX_LD_SCRIPTS:
            break
        try:
            data = json.loads(el.text or "")
        except (ValueError, RecursionError):
            continue  # malformed JSON-LD is common; the page's other metadata still counts
        stack, seen = [data], 0
        while stack and seen < 200:
            node = stack.pop()
            seen += 1
            if isinstance(node, list):
                stack.extend(node)
                continue
            if not isinstance(node, dict):
                continue
            types = node.get("@type")
            types = [types] if isinstance(types, str) else [t for t in types if isinstance(t, str)] if isinstance(types, list) else []
            if any(t.endswith("Article") or t in ("BlogPosting", "Report") for t in types):
                ld_types.extend(types)
                sec = node.get("articleSection")
                sections.extend(s for s in ([sec] if isinstance(sec, str) else sec if isinstance(sec, list) else [])
                                if isinstance(s, str) and s.strip())
                pub = node.get("publisher")
                if isinstance(pub, list) and pub:
                    pub = pub[0]
                if publisher is None and isinstance(pub, dict):
                    publisher = _norm(pub.get("name"))
            stack.extend(v for k, v in node.items() if k == "@graph" or (isinstance(v, (dict, list)) and k != "publisher"))
    if publisher and "://" in publisher:
        publisher = None  # a URL where a name belongs
    return PageIdentity(og, publisher, app, og_type, tuple(dict.fromkeys(sections)), tuple(dict.fromkeys(ld_types)))


# ---------------------------------------------------------------- names

_STARS = re.compile(r"[☆★✩✪✫✬✭✮✯✰⭐]+")
_TAGLINE_SEPARATORS = re.compile(r"\s+(?:[-|–—·•:»«/]|::|\|\|)\s+")
_LEGAL_SUFFIX = re.compile(
    r"[\s,]+(gmbh(\s?&\s?co\.?\s?kg)?|e\.\s?v\.?|ag|kg|ug( \(haftungsbeschränkt\))?|ltd\.?|limited|llc|inc\.?|plc"
    r"|s\.a\.?|s\.r\.l\.?|sp\. z o\.o\.|b\.v\.|n\.v\.|oy|ab|as|a/s|gbr|mbh)$", re.I)


def compact(text: str) -> str:
    """Case-, accent-, space- and punctuation-free form, to compare names ("Tele Basel" = "telebasel.ch"'s core)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if ch.isalnum())


def host_core(host: str | None) -> str:
    """The registrable label of a host: "www.telebasel.ch" -> "telebasel", "news.bbc.co.uk" -> "bbc"."""
    if not host:
        return ""
    labels = [lb for lb in host.casefold().split(".") if lb and lb not in ("www", "m", "amp", "mobile")]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in ("co", "com", "org", "net", "gov", "ac", "or", "ne"):
        labels = labels[:-1]
    return compact(labels[-2] if len(labels) >= 2 else labels[0]) if labels else ""


def names_site(part: str, names: tuple[str, ...], host: str | None, *, exact: bool = False) -> bool:
    """True when ``part`` is the site's name: one of ``names`` or the host's core label (or, unless ``exact``,
    contained in one of them / containing the host's core label)."""
    cp = compact(part)
    if not cp or len(part.split()) > MAX_SITE_WORDS:
        return False
    for n in names:
        cn = compact(n)
        if cn == cp or (not exact and len(cp) >= 4 and (cp in cn or cn in cp)):
            return True
    core = host_core(host)
    return bool(core and len(core) >= 3 and (core == cp or (not exact and core in cp)))


def tidy_site_name(name: str | None, *, host: str | None = None, legal: bool = False) -> str | None:
    """A site name as readers say it: no rating stars, no tagline after a separator, no legal suffix when
    ``legal`` (a publisher's registered name)."""
    name = _norm(name)
    if not name or "://" in name or name.casefold().startswith("www."):
        return None  # a URL where a name belongs: the host says as much
    name = _norm(_STARS.sub(" ", name).strip(" -|–—·•:")) or None
    if not name:
        return None
    parts = [p.strip(" -|–—·•:") for p in _TAGLINE_SEPARATORS.split(name) if p.strip(" -|–—·•:")]
    if len(parts) > 1:
        core = host_core(host)
        matching = [p for p in parts if core and core in compact(p)]
        name = matching[0] if matching else parts[0]
    if legal:
        stripped = _LEGAL_SUFFIX.sub("", name).strip(" ,")
        name = stripped or name
    return name


def outlet_name(identity: PageIdentity, *, host: str | None = None, guessed: str | None = None) -> str | None:
    """The outlet a page names itself (see the module docstring); None when it names none.

    ``guessed`` is trafilatura's site-name guess: used only when it matches the host.
    """
    for name, legal in ((identity.og_site_name, False), (identity.publisher, True), (identity.application_name, False)):
        tidy = tidy_site_name(name, host=host, legal=legal)
        if tidy and len(tidy.split()) <= MAX_SITE_WORDS * 2:
            return tidy
    tidy = tidy_site_name(guessed, host=host, legal=True)
    if tidy and host_core(host) and host_core(host) in compact(tidy):
        return tidy
    return None


def strip_site_from_title(title: str, names: tuple[str, ...], host: str | None) -> str:
    """The headline without a " - Site" / " | Site" suffix or a "Site: " / "Site | " prefix naming the site."""
    t = _norm(title) or ""
    for _ in range(2):  # "Headline - Section - Site": the site, then a section that also names it
        parts = _TAGLINE_SEPARATORS.split(t)
        if len(parts) >= 2 and names_site(parts[-1], names, host):
            t = t[: t.rfind(parts[-1])].rstrip(" -|–—·•:»«/")
            continue
        break
    m = re.match(r"^([^:|]{2,40})(?::|\s[|–—-])\s+(\S.*)$", t)
    if m and names_site(m.group(1), names, host, exact=True) and len(m.group(2).split()) >= 2:
        t = m.group(2)
    return t or _norm(title) or ""


# ---------------------------------------------------------------- genre

_OPINION = re.compile(r"\b(opinion|opinions|op-?ed|commentary|comment is free|editorials?|column|columns|columnists?"
                      r"|meinung|meinungen|kommentare?|leitartikel|gastbeitrag|gastkommentar|kolumnen?|standpunkt"
                      r"|opinión|opinion|tribunes?|éditorial|editoriale|opinião)\b", re.I)
_ANALYSIS = re.compile(r"\b(analysis|analyse|analysen|análisis|analisi|hintergrund|explainer|news analysis)\b", re.I)
_URL_OPINION = re.compile(r"/(opinion|opinions|meinung|kommentar|kommentare|commentisfree|op-?ed|editorials?|columns?"
                          r"|opinion-?es|opinión|tribunes?)/", re.I)
_URL_ANALYSIS = re.compile(r"/(analysis|analyse|analisis)/", re.I)


def genre_of(identity: PageIdentity, url: str | None = None) -> str | None:
    """"opinion", "analysis" or "news" where the page states it (JSON-LD type, its section, og:type, or a section
    folder of its URL); None when it does not say."""
    types = {t.lower() for t in identity.ld_types}
    if "opinionnewsarticle" in types:
        return "opinion"
    if "analysisnewsarticle" in types or "backgroundnewsarticle" in types:
        return "analysis"
    sections = " ".join(identity.sections)
    if (identity.og_type and _OPINION.search(identity.og_type)) or (sections and _OPINION.search(sections)):
        return "opinion"
    if sections and _ANALYSIS.search(sections):
        return "analysis"
    path = ""
    if url:
        path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I).split("?", 1)[0] + "/"
    if path and _URL_OPINION.search(path):
        return "opinion"
    if path and _URL_ANALYSIS.search(path):
        return "analysis"
    if types & {"newsarticle", "reportagenewsarticle"}:
        return "news"
    return None


# ---------------------------------------------------------------- footer

_FOOTER_WRITER = re.compile(
    r"\b(?i:this (?:story|article|report|piece) (?:was|is|has been) (?:written|produced|reported|published|provided"
    r"|first published|originally published)|(?:originally|first) (?:published|appeared))\s+(?i:by|on|in|at)\s+"
    r"(?:[Tt]he\s+)?([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4})", re.U)
_FOOTER_EMAIL = re.compile(r"\b[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})\b", re.I)
_GENERIC_MAIL_HOSTS = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "protonmail.com", "icloud.com", "aol.com",
                       "gmx.de", "web.de", "mail.com"}


def outlet_from_footer(text: str) -> str | None:
    """The newsroom a removed footer line names: "This story was written by X" -> X, "email us at
    news@metro.co.uk" -> "metro.co.uk"; None when it names none."""
    m = _FOOTER_WRITER.search(text)
    if m:
        name = m.group(1).rstrip(".,;:")
        if name and name.casefold() not in ("us", "our", "we"):
            return name
    m = _FOOTER_EMAIL.search(text)
    if m and m.group(1).casefold() not in _GENERIC_MAIL_HOSTS:
        host = m.group(1).casefold()
        return host[4:] if host.startswith("www.") else host
    return None
