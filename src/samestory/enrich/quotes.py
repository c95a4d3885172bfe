"""Direct and indirect quotes with their speakers.

Quotation marks are paired by the one scanner in ``samestory.text.quotes`` (shared with compare/framing).

The speaker of a direct quote comes from the frame around it, in this order:

1. ``X said: "..."`` / ``X replied: '...'`` / ``to which X replied: "..."`` -- a cue verb before a colon;
2. ``"...", X said`` / ``"...," said X`` / ``"...," X, a spokesman, said`` -- a cue right after;
3. ``according to X, "..."`` and ``X said "..."`` / ``X claimed the regime "..."`` -- a cue earlier in
   the sentence that governs the quote;
4. ``The minister laid out the plan: "..."`` -- a colon after a sentence whose subject is a person;
5. a quote that continues an attributed one (same paragraph, or a quote-only paragraph right after).

The speaker is the cue's subject in the dependency parse (``according to X``: X); "he"/"she"
is resolved to the nearest fitting person before it (the subject of its own or an earlier
sentence first), and every speaker is normalized to an entity of the article when it names one.
Short quoted words without such a frame ("rigged", "wave") are scare quotes, not speech
(``scare_quotes``). Indirect speech (``X said that ...``, ``X claimed ...``, ``X vowed ...``) is a
cue verb with a clause complement; it is returned with ``kind="indirect"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from samestory.enrich.entities import ROLE_WORDS, EntityIndex, normalize_name
from samestory.models import Quote, Span
from samestory.text.languages import language_of
from samestory.text.quotes import CUE_VERBS, SCARE_MAX_WORDS, QuoteMarks, clean_quote_text, find_quotation_spans, scare_quotes
from samestory.text.quotes import speech_frames
from samestory.text.quotes import count_words as _words
from samestory.text.quotes import first_char as _first_char
from samestory.text.quotes import inflect as _inflect
from samestory.text.quotes import paragraphs as _paragraphs

__all__ = ["CUE_VERBS", "QuoteMarks", "find_quotation_spans", "scare_quotes", "extract_quotes", "resolve_pronoun"]

# cues that introduce speech with a clause complement (for indirect speech); thoughts excluded
_INDIRECT_CUES = CUE_VERBS - {f for b in ("think", "believe", "hope", "fear", "describe", "continue", "ask", "post", "agree") for f in _inflect(b)}
_PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON", "they": None, "it": "ORG", "we": None, "i": None}
_CLOSING = "”’»›\"'"
_FIRST_PERSON = frozenset(("i", "we"))
_SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")


class _Frame:
    __slots__ = ("cue", "speaker_tok", "speaker_text", "how")

    def __init__(self, cue, speaker_tok, speaker_text=None, how=""):
        self.cue, self.speaker_tok, self.speaker_text, self.how = cue, speaker_tok, speaker_text, how


def _tokens_in(doc, start: int, end: int):
    return [t for t in doc if start <= t.idx and t.idx + len(t) <= end]


_NOT_SPEAKERS = frozenset("that this it which what these those there all".split())


def _subject_of(verb, in_quote=None):
    """The cue's subject; through xcomp/advcl/conj heads when the verb has none ("after claiming ...");
    a relative "who" stands for the noun it modifies; "that"/"it"/"which" never speak. ``in_quote``
    (a position test) keeps the search out of quotations: a word inside a quote is never its frame's
    speaker."""
    subj = _raw_subject_of(verb, in_quote)
    if subj is None:
        return None
    if subj.lower_ == "who" and subj.head.dep_ == "relcl":
        return subj  # its antecedent is found by ``_who_antecedent``; the mention is "who"
    if subj.lower_ in _NOT_SPEAKERS or (in_quote is not None and in_quote(subj.idx)):
        return None
    return subj


def _raw_subject_of(verb, in_quote=None):
    v = verb
    for child in v.children:
        if child.dep_ == "agent":  # "described by Russian media as ...": the agent speaks, not the noun described
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    if v.dep_ == "acl" and v.head.pos_ in ("PROPN", "NOUN"):
        return v.head  # "footage of Mara Quill asking, ..."
    if v.tag_ == "VBG" and v.i > 0 and not any(c.dep_ == "nsubj" for c in v.children):
        prev = v.doc[v.i - 1]
        if prev.ent_type_ == "PERSON" or prev.lower_ in ("he", "she"):
            return prev  # "footage of Quill saying, ...": the person right before the participle
    for _ in range(4):
        subjects = [c for c in v.children if c.dep_ == "nsubj" and any(ch.isalnum() for ch in c.text)]  # not a dash
        if subjects:
            # "said study co-author Dr Stefanie Brandt" parsed with three subjects: the named one
            return next((c for c in subjects if c.ent_type_ in ("PERSON", "ORG")), subjects[0])
        for child in v.children:
            if child.dep_ == "agent":
                for g in child.children:
                    if g.dep_ == "pobj":
                        return g
        if v.dep_ == "xcomp":
            # object control: "led the journalist to fear ...", "asked her to say ..."
            obj = next((c for c in v.head.children if c.dep_ == "dobj" and c.i < v.i), None)
            if obj is not None:
                return obj
        if v.tag_ == "VBG" and v.dep_ == "advcl" and v.head.dep_ == "relcl" and v.i > 0 and v.doc[v.i - 1].text == ",":
            # "... an architect who said he was stiffed, saying, ...": a participle set off after a
            # relative clause belongs to the main clause, whatever the parse hung it on
            root = v.sent.root
            if root.i != v.i and not (in_quote is not None and in_quote(root.idx)):
                v = root
                continue
        if v.dep_ in ("xcomp", "advcl", "conj", "ccomp", "pcomp", "prep", "relcl") and v.head is not v:
            if in_quote is not None and in_quote(v.head.idx):
                break  # the head is inside a quotation: its subject is the quoted speaker's words
            v = v.head
        else:
            break
    return None


def _is_cue(t) -> bool:
    return t.lower_ in CUE_VERBS and t.pos_ in ("VERB", "AUX")


class _Context:
    def __init__(self, doc, index: EntityIndex, quotes: list[QuoteMarks]):
        self.doc, self.text, self.index, self.quotes = doc, doc.text, index, quotes
        self.inside = [(q.open, q.close + 1) for q in quotes]
        self.paras = _paragraphs(self.text)

    def in_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.inside)

    def para_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.paras:
            if s <= pos <= e:
                return s, e
        return pos, pos

    def sentence_start(self, pos: int) -> int:
        tok = self._token_at(pos)
        return tok.sent.start_char if tok is not None else pos

    def sentence_end(self, pos: int) -> int:
        tok = self._token_at(pos)
        return tok.sent.end_char if tok is not None else pos

    def _token_at(self, pos: int):
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None


_DATELINE = re.compile(r"[ \t]*((?:[A-Z][A-Z.'’-]+[ \t]?){1,4}(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*){0,2})?)[ \t]*(?:\([\w ]+\)[ \t]*)?(?:--|[—–―-])")


def _in_dateline(ctx: _Context, tok) -> bool:
    """"LIVINGSTON, N.J. -- ...", "WASHINGTON (AP) —": a dateline names where the story was filed,
    never who speaks."""
    ps, _pe = ctx.para_of(tok.idx)
    m = _DATELINE.match(ctx.text, ps)
    return m is not None and m.start(1) <= tok.idx < m.end(1)


_NEVER_SPEAKER_LABELS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")


def _can_speak(ctx: _Context, tok) -> bool:
    """Dates and numbers never speak; neither does a dateline (spaCy labels some people LOC, so a
    place label alone does not rule a speaker out)."""
    return tok.ent_type_ not in _NEVER_SPEAKER_LABELS and not _in_dateline(ctx, tok)


def _who_antecedent(tok):
    """The person a relative "who" stands for: the name right before ", who" (in "Patti LaBelle
    and Stevie Wonder, who joked", Wonder, whatever the parse attached the clause to), else the
    noun the relative clause modifies."""
    doc = tok.doc
    j = tok.i - 1
    if j >= 1 and doc[j].text == ",":
        prev = doc[j - 1]
        if prev.pos_ in ("PROPN", "NOUN"):
            return prev
    return tok.head.head


def _speaker_span(ctx: _Context, tok) -> tuple[str, str | None, Span]:
    """Name, entity key and mention span for a speaker token (pronouns resolved; the mention of
    a pronoun or a relative "who" is the pronoun itself)."""
    low = tok.lower_
    if low == "who" and tok.head.dep_ == "relcl":
        name, key, _span = _speaker_span(ctx, _who_antecedent(tok))
        return name, key, Span(tok.idx, tok.idx + len(tok))
    if low in _FIRST_PERSON and tok.pos_ == "PRON":
        # "I had to change my answer: ...": outside quotation marks "I" is the writer, never a person named before
        return tok.text, None, Span(tok.idx, tok.idx + len(tok))
    if low in _PRONOUNS and tok.pos_ == "PRON":
        ent = resolve_pronoun(ctx, tok)
        span = Span(tok.idx, tok.idx + len(tok))
        if ent is not None:
            return ent.name, ent.key, span
        return tok.text, None, span  # unresolved: the text's own "he" (its mention is the evidence)
    ent = ctx.index.at(tok.idx, tok.idx + len(tok))
    if ent is not None and ent.label in _SPEAKER_LABELS:
        mention = next((s for s in ent.mentions if s.start <= tok.idx < s.end), Span(tok.idx, tok.idx + len(tok)))
        return ent.name, ent.key, mention
    # "The Labour leader, Ed Miliband, said": the name in apposition speaks, not "Labour" or "leader";
    # "said head of the Space Agency, Vladimir Orlov": a person in apposition inside the subject's phrase
    for c in tok.subtree:
        if c.dep_ == "appos" and c.pos_ == "PROPN" and not ctx.in_quote(c.idx) and (c.head is tok or c.ent_type_ == "PERSON"):
            ent = ctx.index.at(c.idx, c.idx + len(c))
            if ent is not None and (ent.label == "PERSON" or (ent.label == "ORG" and c.head is tok)):
                mention = next((s for s in ent.mentions if s.start <= c.idx < s.end), Span(c.idx, c.idx + len(c)))
                return ent.name, ent.key, mention
    # a common-noun speaker: its compounds, modifiers and determiner ("a senior official", "the source")
    left = [c for c in tok.lefts if c.dep_ in ("det", "compound", "amod", "poss", "nummod", "nmod")]
    start = min([tok.i] + [min(t.i for t in c.subtree) for c in left])
    words = ctx.doc[start : tok.i + 1]
    for t in words:
        ent = ctx.index.at(t.idx, t.idx + len(t))
        if ent is not None and ent.label in ("PERSON", "ORG") and t.dep_ == "compound":
            return ent.name, ent.key, Span(words.start_char, words.end_char)
    role = _role_holder(ctx, tok, words)
    if role is not None:
        return role.name, role.key, Span(words.start_char, words.end_char)
    if words[0].lower_ in _RELATIVE_WORDS:
        # "The 34-year-old - whose real name is X - explained": a parse that took the relative
        # clause's noun for the subject; no speaker is better than "whose real name"
        return "", None, Span(words.start_char, words.end_char)
    return normalize_name(words.text, "OTHER"), None, Span(words.start_char, words.end_char)


_RELATIVE_WORDS = frozenset({"whose", "which", "whom", "what", "whatever", "whichever"})


_ROLE_ABBREVIATIONS = {"governor": ("gov",), "senator": ("sen",), "representative": ("rep",), "congressman": ("rep",),
                       "congresswoman": ("rep",), "general": ("gen",), "lawmaker": ("sen", "rep"), "attorney": ("atty",),
                       "professor": ("prof",), "colonel": ("col",), "lieutenant": ("lt",)}


def _role_holder(ctx: _Context, tok, words):
    """"the spokeswoman" after "Jessica Marlow, a spokeswoman for the ferry company,", "the governor"
    after "Gov. Chris Christie": a definite role description is the one person named before it who
    was given that role (by the entity's role attribute, a title before a mention, or an apposition
    right after one); none when two people fit."""
    role = tok.lower_
    if role not in ROLE_WORDS or words[0].lower_ != "the":
        return None
    abbrevs = _ROLE_ABBREVIATIONS.get(role, ())
    title = re.compile(r"\b(?:%s)\.?\s*$" % "|".join([re.escape(role)] + [re.escape(a) for a in abbrevs]), re.I)
    apposition = re.compile(r"^[^.;\n]{0,12},\s+(?:an?|the|\w+'s|\w+’s)\s+(?:[\w-]+\s+){0,3}?%s\b" % re.escape(role), re.I)
    fits = []
    for e in ctx.index.by_key.values():  # every entity: a holder spaCy mislabels still makes the role ambiguous
        before = [m for m in e.mentions if m.start < tok.idx]
        if not before:
            continue
        if role in re.findall(r"\w+", e.attributes.get("role", "").lower()) or any(
            title.search(ctx.text[max(0, m.start - 25) : m.start]) or apposition.search(ctx.text[m.end : m.end + 80]) for m in before
        ):
            fits.append(e)
    return fits[0] if len(fits) == 1 and fits[0].label == "PERSON" else None


_HONORIFICS = "Mr|Mrs|Ms|Miss|Sir|Lord|Dame|Lady"
_HONORIFIC = re.compile(r"\b(%s)\.?\s+(?:[A-Z][\w.'’-]*\s+){0,2}$" % _HONORIFICS)  # before a mention
_LEADING_HONORIFIC = re.compile(r"(%s)\.?\s+[A-Z]" % _HONORIFICS)  # inside one: the tagger's "Ms Dorries"
_MALE_HONORIFICS = frozenset(("Mr", "Sir", "Lord"))


def _gender(ctx: _Context, entity) -> str | None:
    """"m" or "f" when the article gives the person an honorific (Mr., Mrs., Ms.), else None: "she"
    never resolves to a man the article calls Mr."""
    found = set()
    for m in entity.mentions:
        # the title before the mention ("Ms" + "Dorries") or inside it (the tagger's "Ms Dorries")
        h = _HONORIFIC.search(ctx.text[max(0, m.start - 30) : m.start]) or _LEADING_HONORIFIC.match(ctx.text, m.start, m.end)
        if h:
            found.add("m" if h.group(1) in _MALE_HONORIFICS else "f")
    return found.pop() if len(found) == 1 else None


def resolve_pronoun(ctx: _Context, tok):
    """The nearest fitting person for he/she (a subject first: in its own sentence before it, then
    in up to three sentences before); organisations for "it"."""
    want = _PRONOUNS.get(tok.lower_) or "PERSON"
    sent = tok.sent
    doc = ctx.doc

    wanted_gender = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(tok.lower_)

    def people(tokens):
        found = []
        for t in tokens:
            if ctx.in_quote(t.idx):
                continue
            e = ctx.index.at(t.idx, t.idx + len(t), label=want)
            if e is None and want == "PERSON":
                # "Mr Miliband" tagged ORG: an honorific makes a person whatever the NER label
                e = ctx.index.at(t.idx, t.idx + len(t))
                e = e if e is not None and _gender(ctx, e) is not None else None
            if e is None and want == "PERSON" and t.pos_ == "PROPN" and t.dep_ in ("nsubj", "nsubjpass"):
                # "Dorries said" where the tagger missed this mention of the article's Nadine Dorries
                e = ctx.index.named(t.text)
                e = e if e is not None and e.label == "PERSON" else None
            if e is not None and not (wanted_gender and _gender(ctx, e) not in (None, wanted_gender)):
                found.append((t, e))
        return found

    same = people(doc[sent.start : tok.i])
    if same:
        subj = [e for t, e in same if t.dep_ in ("nsubj", "nsubjpass")]
        return subj[-1] if subj else same[-1][1]
    s = sent
    looked = 0
    while looked < 3:
        if s.start == 0:
            break
        s = doc[s.start - 1].sent
        found = people(s)
        if not found and _pronoun_subject(ctx, s):
            continue  # "He told ...", "Speaking of his shock, he said": the same chain goes back further
        if any(c.isalpha() for c in s.text):
            looked += 1
        if found:
            subj = [(t, e) for t, e in found if t.dep_ in ("nsubj", "nsubjpass") or t.head.dep_ in ("nsubj",) and t.dep_ == "compound"]
            main = [e for t, e in subj if t.head.dep_ == "ROOT" or t.head.head.dep_ == "ROOT"]
            if main or subj:
                if not main and _named_main_subject(ctx, s):
                    # "Mr Miliband said Mr Baker had been ...": the main subject is a name the NER
                    # did not take for a person; the person of the reported clause is not "he"
                    return None
                return main[0] if main else subj[0][1]
            described = _described_subject(ctx, s)
            if described is not None:
                # "The president also accused Mr Romney ... '...,' he said": he is the president,
                # not the man named in the object; a role nobody was given leaves the speaker unknown
                the = min(c.i for c in described.lefts if c.lower_ == "the")
                return _role_holder(ctx, described, doc[the : described.i + 1]) if described.lower_ in ROLE_WORDS else None
            return found[0][1]
    return None


def _main_subject(ctx: _Context, sent):
    return next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and not ctx.in_quote(t.idx)), None)


def _pronoun_subject(ctx: _Context, sent) -> bool:
    """Whether the sentence's main subject is "he" or "she" (a sentence of the chain being resolved)."""
    t = _main_subject(ctx, sent)
    return t is not None and t.lower_ in ("he", "she")


def _named_main_subject(ctx: _Context, sent) -> bool:
    t = _main_subject(ctx, sent)
    return t is not None and t.pos_ == "PROPN"


def _described_subject(ctx: _Context, sent):
    """The main subject of ``sent`` when it describes a person instead of naming one ("The
    president", "The Republican"): a definite noun or a nationality/party word, outside quotes."""
    for t in sent:
        if t.dep_ == "nsubj" and t.head.dep_ == "ROOT" and not ctx.in_quote(t.idx):
            if t.ent_type_ == "NORP" or (t.pos_ == "NOUN" and t.lower_ in ROLE_WORDS):
                return t if any(c.lower_ == "the" for c in t.lefts) else None
            return None
    return None


_NAMING_VERBS = frozenset(f for b in ("call", "dub", "label", "brand") for f in _inflect(b))
# nouns of speech whose owner is the speaker: "Quill's claim that ...", "her promise of ..."
_SPEECH_NOUNS = frozenset("""claim claims statement statements remark remarks comment comments prediction predictions
promise promises pledge warning warnings assertion assertions accusation accusations argument description
suggestion insistence vow words message tweet tweets answer reply response testimony quip boast""".split())


def _depth(t) -> int:
    n = 0
    while t.head.i != t.i and n < 50:
        t, n = t.head, n + 1
    return n


def _quote_roots(ctx: _Context, q: QuoteMarks):
    """Tokens inside the quotation whose head is outside it (where the quote hangs in the sentence)."""
    return [t for t in _tokens_in(ctx.doc, q.open + 1, q.close) if not (q.open < t.head.idx < q.close) and t.head.i != t.i]


def _governs(t, q: QuoteMarks) -> bool:
    return any(q.open <= x.idx < q.close for x in t.subtree)


def _frame_before(ctx: _Context, q: QuoteMarks, region_start: int) -> _Frame | None:
    """A cue before the quote in its sentence. When several cues govern the quote ("Oduya said
    Quill was “entirely wrong”", "Berg said the leaflet “falsely” claims ..."), the outermost one
    is the report's own attribution and names the speaker; a parenthetical cue (", he added,")
    governs its whole sentence."""
    text = ctx.text
    before = text[region_start : q.open]
    toks = [t for t in _tokens_in(ctx.doc, region_start, q.open) if not ctx.in_quote(t.idx)]
    colon = bool(re.search(r":\s*$", before))
    candidates = []  # (depth, -position, frame)
    roots = _quote_roots(ctx, q)
    for t in reversed(toks):
        naming = t.lower_ in _NAMING_VERBS and t.pos_ == "VERB" and any(
            r.head.i == t.i and r.dep_ in ("oprd", "xcomp", "ccomp", "attr") or r.dep_ == "appos" and r.head.dep_ == "dobj" and r.head.head.i == t.i
            for r in roots
        )
        if _is_cue(t) or naming or (colon and t.lower_ in CUE_VERBS and t.is_sent_start):  # "Said Ellis: ..."
            between = [x for x in toks if x.i > t.i]
            if any(x.text in (".", "!", "?", ";") for x in between):
                continue  # a sentence ends between the cue and the quote
            # ", he added," and "as X put it," / "as X observed," stand for the clause they interrupt
            as_clause = t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children)
            parenthetical = (t.dep_ == "parataxis" or as_clause) and _governs(t.head, q)
            words_between = [x for x in between if not x.is_punct and not x.is_space]
            # "X joked of the museum, “...”", "X told reporters on Monday, “...”": only a short verbless
            # adjunct and a comma between the cue and the quote
            comma_adjunct = before.rstrip().endswith(",") and len(words_between) <= 6 and not any(x.pos_ in ("VERB", "AUX") for x in words_between)
            # "he cautioned his colleagues “not to ...”": only the addressee, the cue's object, between
            addressee = bool(words_between) and len(words_between) <= 4 and all(
                any(a.dep_ in ("dobj", "dative") and a.head.i == t.i for a in [x, *x.ancestors]) for x in words_between)
            governs = _governs(t, q) or colon or parenthetical or len(words_between) <= 1 or comma_adjunct or addressee
            if not governs:
                continue
            if naming:
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)  # "X called Y “...”", not "a show called “...”"
            else:
                subj = _subject_of(t, ctx.in_quote)
            if subj is None and colon and not naming:
                subj = next((x for x in between if x.pos_ in ("PROPN", "NOUN")), None)
            if subj is None and t.tag_ == "VBG":
                subj = _sentence_subject(ctx, t)
            if subj is not None:
                # a parenthetical cue sits above the clause it interrupts ("X, he said, believe ...")
                depth = _depth(t.head) - 0.5 if parenthetical else _depth(t)
                if not words_between and re.fullmatch(r"\s*[,:]\s*", text[t.idx + len(t) : q.open]):
                    # "..., the mother of three replied, “...”", "..., saying, “...”": the cue right before
                    # the marks, set off by a comma, is the quote's own (not an outer report around it)
                    depth = -1
                candidates.append((depth, -t.i, _Frame(t.text, subj, how="colon" if colon else "before")))
    noun = _speech_noun_owner(ctx, roots)
    if noun is not None:
        candidates.append(noun)
    if candidates:
        return min(candidates, key=lambda c: (c[0], c[1]))[2]
    m = re.search(r"\baccording to\s+([^,:;]+?),?\s*$", before, flags=re.I) or _to_person(ctx, before, region_start)
    if m:
        toks = _tokens_in(ctx.doc, region_start + m.start(1), region_start + m.end(1))
        heads = [t for t in toks if t.head.i not in {x.i for x in toks}] or toks[-1:]
        if heads:
            return _Frame("according to", heads[-1], how="according")
    if colon:
        # "a quote after a colon that follows a speaker sentence": the sentence's subject speaks
        # (the main clause's subject first, not one of a clause before it)
        # the clause that ends at the colon first: "She became so upset that I had to change my answer: ..."
        near = _clause_subject_before(toks)
        if near is not None:
            return _Frame(None, near, how="colon-sentence")
        subjects = [t for t in toks if t.dep_ == "nsubj" and (t.pos_ in ("PROPN", "NOUN") or t.lower_ in ("he", "she", "they"))]
        main = [t for t in subjects if t.head.dep_ == "ROOT" and not ctx.in_quote(t.head.idx)]
        rest = [t for t in subjects if t.head.idx < q.open and not ctx.in_quote(t.head.idx)]
        if main or rest:
            return _Frame(None, (main or rest)[0], how="colon-sentence")
    return None


def _sentence_subject(ctx: _Context, t):
    """"Mr. Trump hardly clarified the matter, treating ... and, when questioned, asserting, '...'":
    a participle cue without a subject in the parse (the quotation broke it) speaks for the first
    person subject of its sentence, outside quotation marks."""
    for x in t.sent:
        if x.i >= t.i:
            break
        if x.dep_ == "nsubj" and not ctx.in_quote(x.idx) and (x.ent_type_ == "PERSON" or x.lower_ in ("he", "she")):
            return x
    return None


def _clause_subject_before(toks):
    """The subject of the clause the last word before a colon belongs to (up its heads to the
    first verb with a subject of its own), when that subject can be a speaker."""
    words = [t for t in toks if not t.is_punct and not t.is_space]
    if not words:
        return None
    v, inside = words[-1], {t.i for t in toks}
    for _ in range(6):
        if v.i not in inside:
            return None  # up into the quotation or past the region: no clause of its own
        if v.pos_ in ("VERB", "AUX"):
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                ok = subj.pos_ in ("PROPN", "NOUN") or subj.lower_ in ("he", "she", "they", "i", "we")
                return subj if ok and subj.i >= words[0].i else None
        if v.head.i == v.i:
            break
        v = v.head
    return None


_TO_X = re.compile(r"\bto\s+([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}|him|her|them),\s*$")


def _to_person(ctx: _Context, before: str, region_start: int):
    """"... because to her, “there’s nothing more important ...”": "to" a person, set off by a
    comma right before the quote, is "according to" (only a pronoun or a person's name)."""
    m = _TO_X.search(before)
    if m is None:
        return None
    if m.group(1) in ("him", "her", "them"):
        return m
    start = region_start + m.start(1)
    return m if ctx.index.at(start, region_start + m.end(1), label="PERSON") is not None else None


def _speech_noun_owner(ctx: _Context, roots):
    """"Quill's claim that there were “hundreds of floods”": the owner of a speech noun
    the quote hangs from speaks (the walk up stops at a cue verb, which has its own frame)."""
    for r in roots[:1]:
        a = r
        for _ in range(6):
            if a.head.i == a.i:
                break
            a = a.head
            if ctx.in_quote(a.idx):
                continue
            if _is_cue(a):
                return None
            if a.pos_ == "NOUN" and a.lower_ in _SPEECH_NOUNS:
                owner = next((c for c in a.children if c.dep_ == "poss"), None)
                if owner is not None and (owner.ent_type_ in ("PERSON", "ORG") or owner.pos_ == "PROPN" or owner.lower_ in ("his", "her", "their")):
                    return (_depth(a), -a.i, _Frame(a.text, owner, how="speech-noun"))
                return None
    return None


def _frame_after(ctx: _Context, q: QuoteMarks, region_end: int) -> _Frame | None:
    toks = [t for t in _tokens_in(ctx.doc, q.close + 1, region_end) if not ctx.in_quote(t.idx)]
    words = 0
    for t in toks:
        if t.is_punct:
            if t.text in ".!?;" or (t.text == ":" and words > 0):
                break
            continue
        words += 1
        if words > 40:
            break
        if _is_cue(t) or (t.lower_ in ("reads", "read") and t.pos_ == "VERB"):  # "“...,” the letter reads."
            subj = _subject_of(t, ctx.in_quote) or _name_before_cue(ctx, q, t) or _it_after(ctx, q, t)
            if words > 4 and (subj is None or not (q.close < subj.idx < t.idx)):
                continue  # a far cue counts only with its own subject between the quote and it
            after = ctx.text[t.idx + len(t) : t.idx + len(t) + 3]
            nxt = [x for x in toks if x.i > t.i]
            if after.lstrip().startswith(":") and any(ctx.in_quote(x.idx) for x in nxt[:3]) or (after.lstrip().startswith(":") and region_end < len(ctx.text) and ctx.text[region_end : region_end + 1] in "“‘\"'"):
                return None  # "..., to which X replied: '...'": this cue belongs to the next quote
            if subj is None:
                # "..., said the spokesman": a parse without the subject; take the noun after the cue
                subj = next((x for x in nxt if x.pos_ in ("PROPN", "NOUN", "PRON")), None)
            if subj is not None:
                return _Frame(t.text, subj, how="after")
    return None


def _it_after(ctx: _Context, q: QuoteMarks, cue):
    """"“...,” it added.": "it" right after the quote is a document or an organisation speaking
    (elsewhere "it" never speaks)."""
    subj = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ != "it" or not q.close < subj.idx < cue.idx:
        return None
    between = [x for x in ctx.doc[subj.i + 1 : cue.i] if not x.is_punct and not x.is_space]
    if len(between) > 1 or any(x.pos_ != "ADV" for x in between) or ctx.text[q.close + q.mark_len : subj.idx].strip(" ,"):
        return None
    return subj


def _name_before_cue(ctx: _Context, q: QuoteMarks, cue):
    """"“...” Harbour police Chief Ivo Marsh said Monday." with a parse that lost the subject: only
    a name (with its title words) stands between the quote and the cue, so that name speaks."""
    between = [t for t in ctx.doc[:cue.i] if t.idx > q.close and not t.is_punct and not t.is_space]
    if not between or len(between) > 8:
        return None
    people = [t for t in between if t.ent_type_ == "PERSON"]
    if not people:
        return None
    if any(t.pos_ in ("VERB", "AUX") and not t.ent_type_ for t in between):
        return None
    return people[-1]


def _headline_case(ctx: _Context, q: QuoteMarks) -> bool:
    """The quote's paragraph is itself in title case (a headline): capitals say nothing about the quote."""
    ps, pe = ctx.para_of(q.open)
    outside = ctx.text[ps : q.open] + " " + ctx.text[q.close + q.mark_len : pe]
    return _looks_like_title(outside, max_words=40)


def _looks_like_title(content: str, max_words: int = 8) -> bool:
    words = re.findall(r"[A-Za-z][\w’'-]*", content)
    if len(words) < 2 or len(words) > max_words or content.rstrip()[-1:] in "?!":
        return False  # a comma or full stop after a title belongs to the sentence around it
    small = {"of", "the", "and", "a", "an", "to", "in", "on", "for", "at", "by", "with", "or"}
    caps = [w for w in words if w[0].isupper()]
    return len(caps) >= 0.7 * len([w for w in words if w.lower() not in small])


def _frame_previous_sentence(ctx: _Context, q: QuoteMarks, region_start: int, para_start: int) -> _Frame | None:
    """"..., Schiff said. “The other factor is ...”": a quote that opens a sentence right after a
    speech report in the same paragraph is the same speaker's."""
    sent_start = max(region_start, ctx.sentence_start(q.open))
    if ctx.text[sent_start : q.open].strip() or sent_start <= para_start:
        return None
    prev_start = max(region_start, para_start, ctx.sentence_start(sent_start - 1))
    toks = [t for t in _tokens_in(ctx.doc, prev_start, sent_start) if not ctx.in_quote(t.idx)]
    for t in reversed(toks):
        if _is_cue(t):
            subj = _subject_of(t)
            if subj is not None and prev_start <= subj.idx < sent_start:
                return _Frame(t.text, subj, how="previous")
    return None


def _frame_clause_subject(ctx: _Context, q: QuoteMarks, region_start: int) -> _Frame | None:
    """"Oduya has gone after Quill as a “harbour pirate ...”": a partial quote inside a clause whose
    subject is a person is that person's words (only for people, never "it" or a noun)."""
    if not ctx.text[region_start : q.open].strip():
        return None
    first = next((t for t in _tokens_in(ctx.doc, q.open + 1, q.close) if not t.is_punct), None)
    if first is None:
        return None
    v = first
    for _ in range(8):
        if v.head is v or v.idx < region_start:
            break
        v = v.head
        if v.pos_ in ("VERB", "AUX") and v.idx < q.open:
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            if subj.lower_ in ("he", "she") or ctx.index.at(subj.idx, subj.idx + len(subj), label="PERSON") is not None:
                if _under_speech_noun(v):
                    return None  # "her prediction that Quill would be “...”": the clause is reported, not Quill's
                return _Frame(v.text, subj, how="clause-subject")
            return None
    return None


def _under_speech_noun(v) -> bool:
    a = v
    for _ in range(3):
        if a.head.i == a.i:
            return False
        a = a.head
        if a.pos_ == "NOUN" and a.lower_ in _SPEECH_NOUNS:
            return True
        if a.pos_ in ("VERB", "AUX"):
            return False
    return False


def _frame_headline(ctx: _Context, q: QuoteMarks) -> _Frame | None:
    """Headline style: "Oduya: Quill needs to ‘...’", "Berg Slams Harbour Board Chief: ‘...’",
    "Obama Says Museum Will Tell of ‘...’" -- a headline that opens with a name, then a colon or a
    speech verb before the quote, gives that name the quote."""
    ps, pe = ctx.para_of(q.open)
    first_para = bool(ctx.paras) and ctx.paras[0][0] == ps
    outside = ctx.text[ps : q.open] + " " + ctx.text[q.close + q.mark_len : pe]
    sentence_like = re.search(r"\w[.!?](?:\s|$)", outside.strip())  # a headline has no full stop of its own
    if not (_headline_case(ctx, q) or first_para and _words(ctx.text[ps:pe]) <= 25 and not sentence_like):
        return None
    toks = [t for t in _tokens_in(ctx.doc, ps, q.open) if not t.is_space and not ctx.in_quote(t.idx)]
    if len(toks) >= 3 and toks[-1].text == ":" and toks[-2].ent_type_ == "PERSON" and not any(_is_cue(t) for t in toks):
        # "A lesson from Loretta Lynch: ‘...’": a headline's person right before the colon speaks
        return _Frame(None, toks[-2], how="headline")
    if len(toks) < 2 or not (toks[0].ent_type_ in ("PERSON", "ORG") and toks[0].ent_iob_ == "B" or toks[0].pos_ == "PROPN"):
        return None
    name_end = 1
    while name_end < len(toks) and toks[name_end].lower_ not in CUE_VERBS and (
        toks[name_end].ent_iob_ == "I" if toks[0].ent_type_ else toks[name_end].pos_ == "PROPN"
    ):
        name_end += 1
    cue = toks[name_end] if name_end < len(toks) else None
    colon = bool(re.search(r":\s*$", ctx.text[ps : q.open])) or (cue is not None and cue.text == ":")
    if colon or (cue is not None and cue.lower_ in CUE_VERBS):
        # the name's own words: spaCy often runs a headline name into its verb ("Lindqvist Tells Council")
        name = ctx.doc[toks[0].i : toks[name_end - 1].i + 1]
        return _Frame(cue.text if cue is not None and cue.lower_ in CUE_VERBS else None, toks[name_end - 1], speaker_text=name, how="headline")
    return None


_DASH_BEFORE = re.compile(r"(?:--|[―—–])\s*$")


def _frame_dash_before(ctx: _Context, q: QuoteMarks) -> _Frame | None:
    """"..., including the former mayor Ada Lind -- “...”": a quote set off by a dash right
    after a person's name is that person's."""
    m = _DASH_BEFORE.search(ctx.text, max(0, q.open - 6), q.open)
    if not m:
        return None
    toks = [t for t in _tokens_in(ctx.doc, max(0, m.start() - 60), m.start()) if not t.is_space]
    if not toks or toks[-1].ent_type_ != "PERSON" or ctx.in_quote(toks[-1].idx):
        return None
    return _Frame(None, toks[-1], how="dash-before")


_DASH_NAME = re.compile(r"\s*[―—–-]{1,2}\s*(?=[A-Z])")


def _frame_dash(ctx: _Context, q: QuoteMarks, region_end: int) -> _Frame | None:
    """"“...” ― Pamela Padilla": a name after a dash credits the quote (interviews, vox pops)."""
    m = _DASH_NAME.match(ctx.text, q.close + 1)
    if not m:
        return None
    toks = [t for t in _tokens_in(ctx.doc, m.end(), min(len(ctx.text), m.end() + 80)) if not t.is_space]
    names = []
    for t in toks:
        if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.is_alpha):
            names.append(t)
        else:
            break
    return _Frame(None, names[-1], how="dash") if names else None


def extract_quotes(doc, index: EntityIndex, language: str | None = None) -> list[Quote]:
    """Direct quotes (with speakers where a frame names one) and indirect speech of one parsed article.

    An article in another language (one ``text.languages`` has words for) is read by
    ``_quotes_beyond_english``: the English parse is not trusted there."""
    text = doc.text
    if language_of(language) is not None:
        return _quotes_beyond_english(doc, index, language)
    marks = find_quotation_spans(text)
    ctx = _Context(doc, index, marks)
    quotes: list[Quote] = []
    last: Quote | None = None
    last_para_end = -1
    for i, q in enumerate(marks):
        content = q.content.of(text)
        n_words = _words(content)
        if n_words == 0:
            continue
        ps, pe = ctx.para_of(q.open)
        prev_close = marks[i - 1].close + 1 if i > 0 else 0
        later = [m for m in marks[i + 1 :] if not _nickname(text, m)]  # "Marcia “Cia” Price shouted" goes on
        next_open = later[0].open if later else len(text)
        region_start = max(ps, prev_close, ctx.sentence_start(q.open))
        if not text[region_start : q.open].strip() and region_start > max(ps, prev_close):
            # spaCy started a sentence at the quote ("...in one line: “..."): look at the one before
            region_start = max(ps, prev_close, ctx.sentence_start(region_start - 1))
        after_end = min(max(pe, ctx.para_of(q.close)[1]), next_open, max(ctx.sentence_end(min(_first_char(text, q.close + 1, len(text)), len(text) - 1)), q.close + 1))
        frame = None
        colon_before = bool(re.search(r":\s*$", text[region_start : q.open]))
        closes_sentence = _closes_sentence(text, q, max(ps, prev_close))
        frame = _frame_headline(ctx, q) or _frame_dash_before(ctx, q)
        label = _TRANSCRIPT_LABEL.match(content)
        if label is not None:
            frame = _Frame(None, None, speaker_text=label.group(1), how="transcript")
        if frame is None and colon_before and content.rstrip().rstrip(_CLOSING).endswith(","):
            # "X scolded him: “...,” she said." / "... on women: “...,” the union wrote.": a quote that
            # ends on a comma runs on into its own speech tag, which names the speaker
            frame = _frame_after(ctx, q, after_end)
        if frame is None and (colon_before or closes_sentence):
            frame = _frame_before(ctx, q, region_start)
        if frame is None and not closes_sentence:
            frame = _frame_after(ctx, q, after_end)
        if frame is None and not colon_before:
            frame = _frame_before(ctx, q, region_start)
        if frame is None:
            frame = _frame_dash(ctx, q, after_end)
        if frame is None and _first_char(text, ps, pe) == q.open:
            prev = [p for p in ctx.paras if p[1] < ps]
            if prev and text[prev[-1][0] : prev[-1][1]].rstrip().endswith(":"):
                # "He said:" closes the paragraph before the quote
                pps, ppe = prev[-1]
                frame = _frame_before(ctx, QuoteMarks(ppe, ppe + 1, True), max(pps, ctx.sentence_start(max(pps, ppe - 2))))
        if frame is None:
            frame = _frame_previous_sentence(ctx, q, region_start, ps)
        if frame is None and n_words > 2:
            frame = _frame_clause_subject(ctx, q, region_start)
        if _looks_like_title(content) and (frame is None or frame.how != "colon") and not _headline_case(ctx, q):
            continue  # “Justice Against Sponsors of Terrorism Act”, “Fox News Sunday,”: a name or title, not speech
        if n_words <= 2 and (frame is None or frame.how not in ("colon", "after", "according")):
            continue  # a scare quote: “rigged”, “wave” (a cue far off in the sentence does not make it speech)
        if frame is None and n_words <= SCARE_MAX_WORDS and not content.rstrip().endswith((".", "?", "!", ",")):
            continue
        trimmed = _trim(text, q.content)
        if frame is not None and frame.speaker_tok is not None and not _can_speak(ctx, frame.speaker_tok):
            frame = None
        if frame is not None and frame.speaker_tok is not None:
            name, key, sspan = _speaker_span(ctx, frame.speaker_tok)
            if frame.speaker_text is not None and not (sspan.start >= frame.speaker_text.start_char and sspan.end <= frame.speaker_text.end_char):
                ent = ctx.index.named(frame.speaker_text.text)
                name, key = (ent.name, ent.key) if ent is not None else (normalize_name(frame.speaker_text.text), None)
                sspan = Span(frame.speaker_text.start_char, frame.speaker_text.end_char)
            if frame.speaker_tok.lower_ in ("he", "she") and last is not None and last.speaker_key and _no_person_between(ctx, last, frame.speaker_tok):
                name, key = last.speaker, last.speaker_key  # "“...,” he said": the speaker being quoted goes on
            quote = Quote(text=clean_quote_text(trimmed.of(text)), span=trimmed, speaker=name or None, speaker_key=key if name else None,
                          speaker_span=sspan if name else None, cue=frame.cue, kind="direct")
        elif frame is not None and frame.how == "transcript":
            # "MARSH: Well, the point is ...": a transcript's speaker label opens the quote
            ent = ctx.index.named(frame.speaker_text)
            start = q.content.start + content.index(frame.speaker_text)
            name, key = (ent.name, ent.key) if ent is not None else (normalize_name(frame.speaker_text), None)
            quote = Quote(text=clean_quote_text(trimmed.of(text)), span=trimmed, speaker=name, speaker_key=key, speaker_span=Span(start, start + len(frame.speaker_text)), cue=None, kind="direct")
        elif last is not None and last.speaker and _continues(ctx, last, q, last_para_end):
            quote = Quote(text=clean_quote_text(trimmed.of(text)), span=trimmed, speaker=last.speaker, speaker_key=last.speaker_key, speaker_span=last.speaker_span, cue=last.cue, kind="direct")
        else:
            if n_words < 4:
                continue
            quote = Quote(text=clean_quote_text(trimmed.of(text)), span=trimmed, kind="direct")
        quotes.append(quote)
        last, last_para_end = quote, ctx.para_of(q.close)[1]
    quotes.extend(_indirect(ctx, marks))
    quotes.sort(key=lambda x: x.span.start)
    return quotes


_TRANSCRIPT_LABEL = re.compile(r"\s*((?:[A-Z][A-Z.’'-]+\s+){0,2}[A-Z][A-Z’'-]{2,}):\s")


_NICKNAME = re.compile(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?")


def _nickname(text: str, q: QuoteMarks) -> bool:
    """A quoted nickname between a first and a last name: Marcia “Cia” Price."""
    return (_NICKNAME.fullmatch(q.content.of(text)) is not None and re.search(r"[A-Z][\w.]* $", text[max(0, q.open - 30) : q.open]) is not None
            and re.match(r" [A-Z]", text[q.close + q.mark_len : q.close + q.mark_len + 2]) is not None)


def _closes_sentence(text: str, q: QuoteMarks, start: int) -> bool:
    """“Quill boasted, “That makes me clever.” Quill was ...”: a quote that ends with a full stop
    after words of its own sentence closes that sentence, so what follows (a capitalized new
    sentence) is not its frame."""
    if not q.content.of(text).rstrip().endswith("."):
        return False
    nxt = re.match(r"\s*(\w)", text[q.close + q.mark_len : q.close + q.mark_len + 20])
    if nxt is None or nxt.group(1).islower():
        return False  # “... it.” he said (a lowercase frame goes on)
    before = re.split(r"[.!?][\"”’'»]*\s", text[start : q.open])[-1]
    return bool(re.search(r"\w", before))


def _no_person_between(ctx: _Context, last: Quote, pronoun) -> bool:
    """True when the last quoted person is still the nearest: quoted within the last ~600
    characters, and no other person named (outside quotes) between that quote and the pronoun."""
    if pronoun.idx - last.span.end > 600 or pronoun.idx < last.span.end:
        return False
    ent = ctx.index.by_key.get(last.speaker_key)
    if ent is None or ent.label != "PERSON":
        return False
    wanted = {"he": "m", "she": "f"}.get(pronoun.lower_)
    if wanted and _gender(ctx, ent) not in (None, wanted):
        return False  # "he" never goes on from a woman the article calls Ms
    for e in ctx.index.persons():
        if e.key == last.speaker_key:
            continue
        if any(last.span.end <= m.start < pronoun.idx and not ctx.in_quote(m.start) for m in e.mentions):
            return False
    # "The prime minister said ...": a person described, not named, came in between
    sents = {pronoun.sent.start: pronoun.sent}
    k = pronoun.sent.start - 1
    while k >= 0 and ctx.doc[k].idx >= last.span.end:
        sents[ctx.doc[k].sent.start] = ctx.doc[k].sent
        k = ctx.doc[k].sent.start - 1
    return not any(_described_subject(ctx, s) is not None for s in sents.values())


def _trim(text: str, span: Span) -> Span:
    s, e = span.start, span.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Span(s, e)


def _continues(ctx: _Context, last: Quote, q: QuoteMarks, last_para_end: int) -> bool:
    """An unattributed quote continues the previous speaker's: same paragraph, or it opens the
    next paragraph (and that paragraph has no other person in it)."""
    ps, pe = ctx.para_of(q.open)
    if ps <= last.span.start <= pe:
        # "... Lofgren said. But ... James Sensenbrenner ... cautioned “...”": another person named in a
        # sentence after the one that attributed the last quote (not in its own tail: "said X of Mrs Y's plan.")
        tag = last.speaker_span.start if last.speaker_span is not None else last.span.end
        after = max(last.span.end, ctx.sentence_end(tag))
        return not any(after <= m.start < q.open and not ctx.in_quote(m.start)
                       for e in ctx.index.persons() if e.key != last.speaker_key for m in e.mentions)
    prev_para = [p for p in ctx.paras if p[1] <= ps]
    if not prev_para or prev_para[-1][1] != last_para_end:
        return False
    return _first_char(ctx.text, ps, pe) == q.open


def _indirect(ctx: _Context, marks: list[QuoteMarks]) -> list[Quote]:
    """``X said (that) ...``: a speech cue with a clause complement, outside direct quotes."""
    out = []
    for t in ctx.doc:
        if t.lower_ not in _INDIRECT_CUES or t.pos_ != "VERB" or ctx.in_quote(t.idx):
            continue
        comp = next((c for c in t.children if c.dep_ == "ccomp"), None)
        if comp is None:
            continue
        subj = _subject_of(t)
        if subj is None or ctx.in_quote(subj.idx):
            continue
        sub = list(comp.subtree)
        start, end = sub[0].idx, sub[-1].idx + len(sub[-1])
        if any(q.open <= start and end <= q.close + 1 for q in marks):
            continue  # the complement is a direct quote, found above
        if any(start <= q.open and q.close < end for q in marks) and end - start < 1.3 * sum(q.close - q.open for q in marks if start <= q.open and q.close < end):
            continue  # mostly a direct quote
        if end - start < 12:
            continue
        span = _trim(ctx.text, Span(start, end))
        name, key, sspan = _speaker_span(ctx, subj)
        out.append(Quote(text=span.of(ctx.text), span=span, speaker=name, speaker_key=key, speaker_span=sspan, cue=t.text, kind="indirect"))
    return out


def _quotes_beyond_english(doc, index: EntityIndex, language: str) -> list[Quote]:
    """Direct quotes of a non-English text: quotation marks of every kind and, in the languages that
    write dialogue with dashes, dashed speech; the speaker from the frame right at the quote in that
    language's words (``text.quotes.speech_frames``). A pronoun in the frame ("sagte er") is the
    previous quote's speaker when that quote is in the same paragraph or the one before; a quote
    with no frame continues the previous speaker's as in English (``_continues``). Short quoted words
    without a frame are scare quotes or names, not speech. No indirect speech (that needs a parse of
    the language)."""
    text = doc.text
    marks = find_quotation_spans(text, language)
    ctx = _Context(doc, index, marks)
    quotes: list[Quote] = []
    last: Quote | None = None
    last_para_end = -1
    for q in marks:
        content = q.content.of(text)
        n_words = _words(content)
        if n_words == 0:
            continue
        frame = speech_frames(text, q, language)
        if frame is None and n_words <= SCARE_MAX_WORDS and not content.rstrip().endswith((".", "?", "!", ",")):
            continue  # „Ampel“, « gilets jaunes »: a word or a name in quotation marks
        trimmed = _trim(text, q.content)
        speaker = key = sspan = None
        if frame is not None and frame.name:
            ent = index.named(frame.name)
            if ent is not None and set(ent.name.lower().split()) & set(frame.cue.lower().split()):
                ent = None  # the English parse ran the name into the verb: "sagte Merkel"
            speaker, key = (ent.name, ent.key) if ent is not None else (normalize_name(frame.name), None)
            sspan = frame.span
        elif last is not None and last.speaker and (
                (frame is not None and frame.pronoun and last_para_end >= ctx.para_of(q.open)[0] - 2
                 and last.span.start >= _previous_para_start(ctx, q.open))
                or (frame is None and _continues(ctx, last, q, last_para_end))):
            speaker, key, sspan = last.speaker, last.speaker_key, last.speaker_span
        elif frame is None and n_words < 4:
            continue
        quote = Quote(text=clean_quote_text(trimmed.of(text)), span=trimmed, speaker=speaker, speaker_key=key,
                      speaker_span=sspan, cue=frame.cue if frame is not None else (last.cue if speaker else None),
                      kind="direct")
        quotes.append(quote)
        last, last_para_end = quote, ctx.para_of(q.close)[1]
    return quotes


def _previous_para_start(ctx: _Context, pos: int) -> int:
    """Where the paragraph before the one holding ``pos`` starts (its own start when it is the first)."""
    ps = ctx.para_of(pos)[0]
    before = [p for p in ctx.paras if p[1] < ps]
    return before[-1][0] if before else ps
