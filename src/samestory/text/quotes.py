"""Quotation marks and speech cues: one scanner for every stage (enrich/quotes, compare/framing).

``find_quotation_spans`` pairs quotation marks with a character scanner, not the tokenizer: curly
and straight, double and single marks (an apostrophe between letters, as in ‘Let’s go’, never
closes a single-quoted span); a quote left open at the end of a paragraph continues when the next
paragraph opens with the same kind of mark (the newspaper convention for long quotes); a quote
inside another quote is part of the outer quote's content (nested). ``quotation_spans`` gives the
same quotations as ``[start, end)`` ranges with their marks; ``inside_quotation`` tests a position.
``CUE_VERBS`` are the verbs that attribute speech (said, claimed, vowed, insisted ...), in every
inflection; ``speech_frames`` finds the same frames in other languages from their words in
``text.languages`` („...“, sagte Merkel / « ... », a déclaré Macron / — ..., — сказал Путин);
``scare_quotes`` are short quoted words not introduced as speech (“rigged”).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from samestory.models import Span
from samestory.text.languages import language_of

__all__ = ["CUE_VERBS", "DIALOGUE_DASH_LANGUAGES", "QuoteMarks", "find_quotation_spans", "quotation_spans", "inside_quotation", "paragraphs", "scare_quotes", "inflect", "count_words", "first_char", "clean_quote_text", "SpeechFrame", "speech_frames"]

_CUE_BASES = """say tell add reply ask claim insist state declare announce warn vow write tweet post explain note
argue admit deny recall continue quip joke respond answer urge promise boast remark acknowledge confirm report
predict allege suggest stress emphasise emphasize comment complain concede contend assert maintain observe
reveal believe think fear hope agree charge counter demand estimate testify lament describe shout scream
cry exclaim whisper mutter yell reckon threaten pledge recount retort interject caution advise concede put""".split()
_IRREGULAR = {"put": ["puts"], "say": ["said", "says", "saying"], "tell": ["told", "tells", "telling"], "write": ["wrote", "written", "writes", "writing"],
              "think": ["thought", "thinks", "thinking"], "cry": ["cried", "cries", "crying"], "reply": ["replied", "replies", "replying"],
              "deny": ["denied", "denies", "denying"], "testify": ["testified", "testifies", "testifying"]}


def inflect(base: str) -> set[str]:
    if base in _IRREGULAR:
        return {base, *_IRREGULAR[base]}
    stem = base[:-1] if base.endswith("e") else base
    forms = {base, base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s"), stem + "ed", stem + "ing"}
    if re.search(r"[^aeiou][aeiou][pt]$", base) and base not in ("admit", "post", "visit"):
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    if base in ("admit", "regret", "commit"):
        forms |= {base + "ted", base + "ting"}
    return forms


CUE_VERBS: frozenset[str] = frozenset(f for b in _CUE_BASES for f in inflect(b))

# Each opening mark with the marks that close it besides ``_CLOSE_ANY``: German „…“ and ‚…‘,
# »…« and ›…‹ (a “ that closes „ opens an English quote anywhere else). ``_CLOSE_ANY`` marks close
# whatever quote of their kind is open, straight or curly, as an English text mixes them.
_DOUBLE_PAIRS = {"“": "", "„": "“", "«": "", "»": "«"}
_SINGLE_PAIRS = {"‘": "", "‚": "‘", "‹": "", "›": "‹"}
_CLOSE_ANY = {True: "”»", False: "’›"}
# languages whose direct speech opens a paragraph with a dash ("— Мы готовы, — сказал он.")
DIALOGUE_DASH_LANGUAGES = frozenset({"ru", "uk", "bg", "fr", "es", "it", "pt", "pl", "cs", "sk", "sr", "hr"})
_DASHES = "—–―"


@dataclass(frozen=True)
class QuoteMarks:
    """A paired quotation: ``open`` and ``close`` are the mark positions; content is between them."""

    open: int
    close: int
    double: bool
    mark_len: int = 1  # 2 for the typewriter pair ``'' ... ''``

    @property
    def content(self) -> Span:
        return Span(self.open + self.mark_len, self.close)


def paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def first_char(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _scan(text: str, double: bool) -> list[QuoteMarks]:
    pairs, straight = (_DOUBLE_PAIRS, '"') if double else (_SINGLE_PAIRS, "'")
    closes = _CLOSE_ANY[double]
    out: list[QuoteMarks] = []
    paras = paragraphs(text)
    open_at: int | None = None
    closers = ""  # what closes the quote open at ``open_at``
    skip: int | None = None  # the mark that re-opens a continued quote in the next paragraph
    for pi, (ps, pe) in enumerate(paras):
        for i in range(ps, pe):
            c = text[i]
            if i == skip:
                continue
            prev = text[i - 1] if i > ps else " "
            nxt = text[i + 1] if i + 1 < pe else " "
            if open_at is not None and c in closers:
                if not double and (nxt.isalnum() or prev.isspace()):
                    continue  # an apostrophe: Let’s, didn’t
                if i > open_at + 1:
                    out.append(QuoteMarks(open_at, i, double))
                open_at = None
            elif c in pairs:
                if c in "»›" and nxt.isspace():
                    continue  # only German »Wir… opens with it; "Home » News" is a breadcrumb
                if double or not prev.isalnum():
                    open_at, closers = i, pairs[c] + closes
            elif c in closes:
                continue  # a closing mark with nothing of its kind open
            elif c == straight:
                if open_at is None:
                    if not prev.isalnum() and not nxt.isspace() and nxt != straight:
                        open_at, closers = i, closes
                elif not prev.isspace() and not (not double and nxt.isalnum()):
                    if i > open_at + 1:
                        out.append(QuoteMarks(open_at, i, double))
                    open_at = None
        if open_at is not None:
            nxt_para = paras[pi + 1] if pi + 1 < len(paras) else None
            j = first_char(text, nxt_para[0], nxt_para[1]) if nxt_para else None
            if j is not None and (text[j] in pairs or text[j] == straight):
                skip = j  # the quote goes on in the next paragraph
            else:
                open_at = None
    return out


def _dialogue(text: str) -> list[QuoteMarks]:
    """Direct speech opened by a dash at the start of a paragraph; it ends at the dash that
    brings in the narrator ("— Мы готовы, — сказал он.", Spanish "—No iremos —dijo él—.") or
    with the paragraph."""
    out = []
    for ps, pe in paragraphs(text):
        i = first_char(text, ps, pe)
        if i >= pe or text[i] not in _DASHES or i + 1 >= pe or not (text[i + 1].isspace() or text[i + 1].isupper()
                                                                  or text[i + 1] in "¡¿"):
            continue
        m = re.search(rf"[,.!?…]?\s[{_DASHES}](?:\s|(?=[^\W\d_]))", text[i + 1 : pe])
        close = i + 1 + m.start() + (1 if m.group(0)[0] in ",.!?…" else 0) if m else pe
        if close > i + 2:
            out.append(QuoteMarks(i, close, True))
    return out


_DOUBLED = re.compile(r"''|``")


def find_quotation_spans(text: str, language: str | None = None) -> list[QuoteMarks]:
    """Top-level quotations (nested ones are part of their outer quote), in text order; with a
    ``language`` that writes dialogue with dashes, paragraphs of dashed speech too."""
    # ''typewriter'' and ``TeX'' pairs count as one double mark (same length: mark + zero-width space)
    norm = _DOUBLED.sub('"\u200b', text) if "''" in text or "``" in text else text
    spans = _scan(norm, True) + _scan(norm, False)
    if language and language.lower()[:2] in DIALOGUE_DASH_LANGUAGES:
        spans += _dialogue(text)
    spans = [QuoteMarks(q.open, q.close, q.double, 2) if text[q.open : q.open + 2] in ("''", "``") else q for q in spans]
    spans.sort(key=lambda q: (q.open, -q.close))
    kept: list[QuoteMarks] = []
    for q in spans:
        clash = None
        for k in kept:
            if k.open <= q.open and q.close <= k.close:
                clash = "nested"
                break
            if q.open < k.close and k.open < q.close:
                clash = "crossing"
                break
        if clash == "crossing" and q.double:
            kept = [k for k in kept if not (q.open < k.close and k.open < q.close)]  # trust double marks
            kept.append(q)
        elif clash is None:
            kept.append(q)
    kept.sort(key=lambda q: q.open)
    return kept


def count_words(s: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)?", s))


SCARE_MAX_WORDS = 3


def scare_quotes(text: str) -> list[Span]:
    """Short quoted words that frame rather than report speech: “rigged”, ‘wave’, "experts".

    A short quotation is a scare quote when it is not introduced as speech (no colon or cue verb
    right before it, no cue right after it)."""
    out = []
    for q in find_quotation_spans(text):
        content = q.content.of(text)
        if count_words(content) > SCARE_MAX_WORDS or not content.strip():
            continue
        before = text[max(0, q.open - 30) : q.open]
        after = text[q.close + 1 : q.close + 30]
        if re.search(r":\s*$", before) or re.search(r"\b(\w+)\W*$", before) and re.search(r"\b(\w+)\W*$", before).group(1).lower() in CUE_VERBS:
            continue
        if content.rstrip()[-1:] in ".?!" or re.match(r"\s*[,.]?\s*(?:\w+\s+){0,3}?(?:" + "|".join(("said", "says", "added", "told", "replied", "asked")) + r")\b", after):
            continue
        out.append(q.content)
    return out


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """The quotations of ``text`` as ``[start, end)`` character ranges, marks included."""
    return [(q.open, q.close + q.mark_len) for q in find_quotation_spans(text)]


def inside_quotation(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` falls inside one of ``spans`` (sorted, non-overlapping ``quotation_spans``)."""
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;:!?”)\]]|\.(?!\.))")  # "... " (an ellipsis) keeps its space
_SPACE_AFTER_OPEN = re.compile(r"([(\[‘“])\s+")


def clean_quote_text(text: str) -> str:
    """A quotation's words as shown: runs of spaces (and no-break spaces, line breaks) become one
    space, none before closing punctuation or after an opening bracket or mark."""
    t = re.sub(r"[\s\u00a0\u200b]+", " ", text).strip()
    t = _SPACE_BEFORE_PUNCT.sub(r"\1", t)
    return _SPACE_AFTER_OPEN.sub(r"\1", t)


# ---------------------------------------------------------------- speech frames beyond English

# a name: capitalized words (any script), with the particles names carry between them
_NAME_WORD = r"[^\W\d_][\w'’.-]*"
_PARTICLES = ("von", "van", "der", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "bin", "al", "el")
_ARTICLES = frozenset("der die das den dem des ein eine le la les un une el los las il lo gli una de het".split())
_PRONOUNS = frozenset("er sie il elle ils elles él ella ellos lui lei loro ele ela hij zij он она они він вона "
                      "on ona oni".split())


@dataclass(frozen=True)
class SpeechFrame:
    """Who a quotation's frame names: ``name`` (None when only a pronoun does), where it stands,
    the cue words, whether the frame stands ``before`` or after the quote, and whether a pronoun
    stands for the speaker ("sagte er", "a-t-il déclaré")."""

    name: str | None
    span: Span | None
    cue: str
    before: bool
    pronoun: bool = False


def _cue_alternation(words) -> str:
    # longest first: "a déclaré" before "a dit"; spaces match any run of blanks
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


_FRAME_PATTERNS: dict[str, tuple] = {}


def _patterns(language: str):
    lang = language_of(language)
    if lang is None or not lang.speech_verbs:
        return None
    if lang.code not in _FRAME_PATTERNS:
        cue = _cue_alternation(lang.speech_verbs)
        name = rf"{_NAME_WORD}(?:\s+(?:(?:{'|'.join(_PARTICLES)})\s+)?{_NAME_WORD}){{0,3}}"
        after = re.compile(rf"\s*[,.!?…]?\s*(?:(?:--|[—–―-])\s*)?(?:(?P<inverted>a-t-(?:il|elle)\s+[^\W\d_]+"
                           rf"|(?:{cue})-t?-?(?:il|elle)\b)|(?P<cue>{cue})\s+(?P<name>{name}))", re.I)
        before_cue_name = re.compile(rf"(?<!\w)(?P<cue>{cue})\s+(?P<name>{name})\s*:\s*$", re.I)
        before_name_cue = re.compile(rf"(?<!\w)(?P<name>{name})\s+(?P<cue>{cue})\s*:\s*$", re.I)
        according = (re.compile(rf"(?<!\w)(?P<cue>{_cue_alternation(lang.according_to)})\s+(?P<name>{name})\s*[,:]?\s*$", re.I)
                     if lang.according_to else None)
        _FRAME_PATTERNS[lang.code] = (after, before_cue_name, before_name_cue, according)
    return _FRAME_PATTERNS[lang.code]


def _name_in(text: str, start: int, end: int) -> tuple[str, Span] | None:
    """The capitalized words of ``text[start:end]`` from its first one (a pronoun gives None)."""
    words = list(re.finditer(_NAME_WORD, text[start:end]))
    kept = []
    for m in words:
        w = m.group()
        if w[0].isupper():
            kept.append(m)
            if w.endswith(".") and len(w.rstrip(".")) > 1:
                break  # "Merkel. Der ...": the sentence ends (an initial, "J.", goes on)
        elif kept and w.lower() in _PARTICLES:
            continue
        else:
            break
    if not kept or kept[0].group().lower() in _ARTICLES:
        return None  # "Der Minister sagte": a role, not a name
    s, e = start + kept[0].start(), start + kept[-1].end()
    return text[s:e].rstrip(".’'"), Span(s, s + len(text[s:e].rstrip(".’'")))


def speech_frames(text: str, quote: QuoteMarks, language: str | None) -> SpeechFrame | None:
    """The frame that attributes ``quote`` in a language other than English, from that language's
    speech verbs: right after the quote (a comma or a dash, the verb, then the speaker:
    "„...“, sagte Merkel", "« ... », a déclaré Macron", "«...», — заявил Песков") or right before it,
    closed by a colon ("Merkel sagte: „...“", "sagte Merkel: „...“") or after "according to"
    ("Selon Macron, « ... »"). Within the quote's paragraph only; None when no frame is there (a
    speaker is never guessed from a verb far off). A pronoun after the verb ("sagte er") gives a
    frame without a name."""
    pats = _patterns(language or "")
    if pats is None:
        return None
    after, before_cue_name, before_name_cue, according = pats
    para_start = text.rfind("\n", 0, quote.open) + 1
    para_end = text.find("\n", quote.close)
    para_end = len(text) if para_end < 0 else para_end
    m = after.match(text, quote.close + quote.mark_len, para_end)
    if m is not None and m.group("inverted"):  # "« ... », a-t-il déclaré" / "déclare-t-elle"
        return SpeechFrame(None, None, " ".join(m.group(0).strip(" ,.!?…—–―-").split()), False, pronoun=True)
    if m is not None:
        cue = " ".join(m.group("cue").split())
        if m.group("name").split()[0].strip(".,;:!?…").lower() in _PRONOUNS:
            return SpeechFrame(None, None, cue, False, pronoun=True)
        found = _name_in(text, m.start("name"), m.end("name"))
        # "..., sagte der Minister": speech, its speaker a role the frame does not name
        return SpeechFrame(found[0] if found else None, found[1] if found else None, cue, False)
    head = text[para_start : quote.open]
    # the sentence the quote opens in: from the last full stop before it
    cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    start = para_start + (cut + 2 if cut >= 0 else 0)
    for pat in (before_cue_name, before_name_cue, according):
        if pat is None:
            continue
        m = pat.search(text, start, quote.open)
        if m is None:
            continue
        cue = " ".join(m.group("cue").split())
        if m.group("name").split()[0].strip(".,;:!?…").lower() in _PRONOUNS:
            return SpeechFrame(None, None, cue, True, pronoun=True)
        found = _name_in(text, m.start("name"), m.end("name"))
        if found is not None or pat is not according:
            return SpeechFrame(found[0] if found else None, found[1] if found else None, cue, True)
    return None
