"""Entity normalization within an article and across a story.

Within an article, spaCy's mentions are grouped by a normalized ``key``: "VLADIMIR Putin",
"Vladimir Putin’s", "Mr Putin" and "Putin" all become ``"vladimir putin"`` (a lone surname or
first name joins the one full name it fits; titles, possessives and shouting caps are dropped).
Facts stated in apposition are kept in ``Entity.attributes``: the age in "Lukashenko, 69," and
the role in "Belarus President Alexander Lukashenko" or "Putin, the Russian leader,". A definite
role description ("the Belarusian President", "the Russian leader") is tied to the person whose
stated role shares its nationality, or else to the only person the article leaves for it.

Across a story, ``merge_entities_across`` maps every key to one canonical key ("putin" in one
article and "vladimir putin" in another; "volodymr zelensky" and "volodymyr zelensky"), and
``apply_story_keys`` rewrites the articles' keys with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from samestory.models import Article, Entity, Span

__all__ = [
    "ROLE_WORDS",
    "ENTITY_LABELS",
    "normalize_name",
    "entity_key",
    "same_nationality",
    "build_entities",
    "EntityIndex",
    "merge_entities_across",
    "apply_story_keys",
]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})

ROLE_WORDS = frozenset(
    """president leader minister premier chancellor king queen prince princess emperor secretary spokesman
    spokeswoman spokesperson senator governor mayor ceo chief director chairman chairwoman chair head commander
    general ambassador envoy judge candidate nominee dictator tyrant despot strongman boss founder official
    lawmaker congressman congresswoman representative attorney lawyer adviser advisor aide admiral colonel
    captain sheriff pope archbishop bishop cardinal mp mep dean professor economist analyst coach manager
    owner chairperson treasurer diplomat negotiator vice deputy foreign councillor councilman councilwoman
    alderman inspector detective sergeant officer constable magistrate""".split()
)
TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. miss dr dr. sir dame lord lady prof prof. rev rev. sen sen. rep rep. gov gov. gen gen. "
    "president pres. prime minister chancellor king queen prince princess pope".split()
)
_IRREGULAR_DEMONYMS = {
    "british": "britain", "uk": "britain", "english": "england", "french": "france", "dutch": "netherlands",
    "welsh": "wales", "scottish": "scotland", "irish": "ireland", "swiss": "switzerland", "greek": "greece",
    "spanish": "spain", "polish": "poland", "danish": "denmark", "swedish": "sweden", "finnish": "finland",
    "filipino": "philippines", "us": "america", "u.s.": "america", "american": "america", "soviet": "russia",
    "kremlin": "russia", "moscow": "russia", "kyiv": "ukraine", "kiev": "ukraine", "minsk": "belarus",
}
_HEADLINE_VERBS = frozenset("says said tells told asks asked warns warned claims claimed urges vows slams hits calls".split())
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_AGE_AFTER = re.compile(r"\s*(?:,\s*(?:aged\s+)?(\d{1,3})\s*(?=[,.;)]|\s+(?:and|who|was|is|has|had|said)\b)|\((\d{1,3})\))")


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


_NAME_PARTICLES = frozenset("de da di del della du des van von der den le la al el bin ibn ben dos das".split())
_BARE_TITLES = frozenset("mr mrs ms miss dr sir dame lord lady prof rev sen rep gov gen".split())


_CLAUSE_WORDS = frozenset("that which who whom whose where when".split())  # lower case only: never a name's


def normalize_name(text: str, label: str = "PERSON") -> str:
    """Display form of a mention: no possessive, no leading "the"/title, shouting caps calmed for people."""
    name = " ".join(text.split())
    name = _POSSESSIVE.sub("", name).strip(" ,.;:\"'“”‘’()")
    words = name.split()
    # the tagger ran on into a clause: "the Mid-Bedfordshire Conservative Association that Dorries"
    cut = next((k for k, w in enumerate(words) if k and w in _CLAUSE_WORDS), None)
    words = words[:cut] if cut is not None else words
    if words and words[0].lower() == "the" and label in ("PERSON", "NORP"):
        words = words[1:]
    if label == "PERSON":
        # a lower-case word the tagger swept in before the name ("rang Mr Obama"); "de"/"van" start names
        while len(words) > 1 and words[0][:1].islower() and words[0].lower() not in _NAME_PARTICLES:
            words = words[1:]
        while len(words) > 1 and (words[0].lower() in TITLES or words[0].lower() in ROLE_WORDS):
            words = words[1:]
        if words and words[0].lower().rstrip(".") in _BARE_TITLES and len(words) == 1:
            return ""  # a title alone ("Mr") names nobody
        while len(words) > 1 and words[-1].lower() in _HEADLINE_VERBS:
            words = words[:-1]  # a headline's "Obama Says ..." tagged as one name
        # the tagger ran on past the name: "Tomas Brellin - explained", "Ana Kovac said"
        for dash in ("-", "–", "—", "--"):
            if dash in words[1:]:
                words = words[: words.index(dash, 1)]
        while len(words) > 1 and words[-1][:1].islower() and words[-1].lower() not in _NAME_PARTICLES:
            words = words[:-1]
        words = [w.capitalize() if w.isupper() and len(w) > 2 else w for w in words]
    elif words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def entity_key(name: str) -> str:
    """Stable key for a normalized name: case- and accent-folded, punctuation dropped."""
    key = _strip_accents(name).casefold()
    key = re.sub(r"[^\w\s-]", "", key)
    return " ".join(key.split())


def _country(word: str) -> str:
    w = _strip_accents(word).lower().strip(".")
    return _IRREGULAR_DEMONYMS.get(w, w)


def same_nationality(a: str, b: str) -> bool:
    """"Belarus" ~ "Belarusian", "Russia" ~ "Russian", "Ukraine" ~ "Ukrainian", "Britain" ~ "British"."""
    a, b = _country(a), _country(b)
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= min(len(a), len(b)) - 2


@dataclass
class _Group:
    label: str
    name: str
    mentions: list[Span] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)


def _role_before(doc, ent) -> str | None:
    """Title words right before a name: "Belarus President", "Minister of Natural Resources", "NOVATEK CEO"."""
    toks = []
    j = ent.start - 1
    while j >= 0 and len(toks) < 8:
        t = doc[j]
        if t.is_punct or t.is_space or t.ent_type_ in ("PERSON", "DATE", "CARDINAL", "TIME"):
            break
        low = t.lower_
        if low in ROLE_WORDS or t.text[:1].isupper() or low in ("of", "the", "and", "for"):
            pass
        elif t.pos_ in ("NOUN", "ADJ") and t.dep_ in ("compound", "amod") and t.head.i > t.i:
            pass
        else:
            break
        toks.append(t)
        j -= 1
    toks.reverse()
    ands = [i for i, t in enumerate(toks) if t.lower_ == "and"]
    if ands and any(t.lower_ in ROLE_WORDS for t in toks[ands[-1] + 1 :]):
        toks = toks[ands[-1] + 1 :]  # "Kozlov and NOVATEK CEO Leonid Mikhelson": the role is after "and"
    while toks and (toks[0].lower_ in ("of", "the", "and", "for") or toks[0].is_sent_start and toks[0].lower_ not in ROLE_WORDS and not toks[0].ent_type_):
        toks = toks[1:]
    if not any(t.lower_ in ROLE_WORDS for t in toks):
        return None
    return doc[toks[0].i : toks[-1].i + 1].text


def _role_in_apposition(doc, ent) -> str | None:
    """", the Russian leader," after a name, or "the Russian leader, Vladimir Putin"."""
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.lower_ in ROLE_WORDS and child.i >= ent.end:
            sub = list(child.subtree)
            if len(sub) <= 8:
                text = doc[sub[0].i : sub[-1].i + 1].text
                return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    if root.dep_ == "appos" and root.head.lower_ in ROLE_WORDS and root.head.i < ent.start:
        left = [t for t in root.head.subtree if t.i < ent.start and not t.is_punct]
        if 0 < len(left) <= 8:
            text = doc[left[0].i : left[-1].i + 1].text
            return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    return None


def _add(group: _Group, span: Span, alias: str) -> None:
    if span not in group.mentions:
        group.mentions.append(span)
    if alias and alias not in group.aliases:
        group.aliases.append(alias)


def build_entities(doc) -> tuple[Entity, ...]:
    """Normalized entities of one parsed article (``doc.text`` is the article's clean text)."""
    text = doc.text
    groups: dict[str, _Group] = {}
    surname_of: dict[str, set[str]] = defaultdict(set)
    pending = []  # single-word mentions resolved after all full names are known
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        ent = _with_shouted_first_name(doc, ent)
        name = normalize_name(ent.text, ent.label_)
        if not name or not any(c.isalpha() for c in name):
            continue
        span = Span(ent.start_char, ent.end_char)
        words = name.split()
        if ent.label_ == "PERSON" and len(words) >= 2:
            key = entity_key(name)
            g = groups.setdefault(key, _Group("PERSON", name))
            _add(g, span, ent.text)
            surname_of[entity_key(words[-1])].add(key)
            surname_of[entity_key(words[0])].add(key)
        else:
            pending.append((ent, name, span))
    for ent, name, span in pending:
        k = entity_key(name)
        full = surname_of.get(k, set())
        if len(full) == 1 and (ent.label_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC") and len(name.split()) == 1):
            g = groups[next(iter(full))]
            _add(g, span, ent.text)
            continue
        g = groups.setdefault(k, _Group(ent.label_, name))
        _add(g, span, ent.text)
    _person_behind_other_label(groups, surname_of)
    _add_missed_surnames(doc, groups, surname_of)
    for g in groups.values():
        if g.label == "PERSON":
            for s in sorted(g.mentions, key=lambda s: s.start):
                sp = doc.char_span(s.start, s.end, alignment_mode="expand")
                if sp is not None and len(sp):
                    _person_attributes(doc, sp, g, text)
    _tie_role_descriptions(doc, groups)
    out = []
    for key, g in groups.items():
        g.mentions.sort(key=lambda s: s.start)
        out.append(Entity(key=key, label=g.label, name=g.name, mentions=tuple(g.mentions), aliases=tuple(g.aliases), attributes=dict(g.attributes)))
    out.sort(key=lambda e: e.mentions[0].start if e.mentions else 0)
    return tuple(out)


def _person_behind_other_label(groups: dict[str, _Group], surname_of) -> None:
    """"The MP Nadine Dorries" tagged ORG and "Ms Dorries" a person: the one full name that ends in
    a lone person's surname is that person (the ORG reading of a person's full name is the tagger's
    slip; an organisation named after a person, "Ford", keeps its label when nobody is "Mr Ford")."""
    for key, g in list(groups.items()):
        if g.label != "PERSON" or len(g.name.split()) != 1 or key in surname_of:
            continue
        full = [(k, o) for k, o in groups.items() if o.label in ("ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART") and
                len(o.name.split()) in (2, 3) and entity_key(o.name.split()[-1]) == key and all(w[:1].isupper() for w in o.name.split())]
        if len(full) != 1:
            continue
        k, o = full[0]
        o.label = "PERSON"
        for m in g.mentions:
            _add(o, m, "")
        o.aliases.extend(a for a in g.aliases if a not in o.aliases)
        o.attributes = {**g.attributes, **o.attributes}
        del groups[key]
        words = o.name.split()
        surname_of[entity_key(words[-1])].add(k)
        surname_of[entity_key(words[0])].add(k)


def _with_shouted_first_name(doc, ent):
    """"VLADIMIR Putin" (a tabloid lead's caps): spaCy tags only "Putin"; take the shouted name too."""
    if ent.label_ != "PERSON" or ent.start == 0:
        return ent
    prev = doc[ent.start - 1]
    if prev.is_alpha and prev.is_upper and len(prev) > 2 and not prev.ent_type_ and prev.lower_ not in ROLE_WORDS and "\n" not in prev.whitespace_:
        from spacy.tokens import Span as SpacySpan

        return SpacySpan(doc, prev.i, ent.end, label="PERSON")
    return ent


def _person_attributes(doc, ent, g: _Group, text: str) -> None:
    m = _AGE_AFTER.match(text, ent.end_char)
    if m and "age" not in g.attributes:
        age = m.group(1) or m.group(2)
        if 0 < int(age) < 125:
            g.attributes["age"] = age
    if "role" not in g.attributes:
        inside = [t for t in ent if t.lower_ in ROLE_WORDS and t.i < ent.end - 1]
        role = (ent[: inside[-1].i - ent.start + 1].text if inside else None) or _role_before(doc, ent) or _role_in_apposition(doc, ent)
        if role:
            g.attributes["role"] = role


def _add_missed_surnames(doc, groups: dict[str, _Group], surname_of) -> None:
    """A surname spaCy did not tag ("Lukashenko’s own government") still names the person."""
    covered = set()
    for g in groups.values():
        for s in g.mentions:
            covered.update(range(s.start, s.end))
    for t in doc:
        if not t.text[:1].isupper() or t.idx in covered or t.is_sent_start and t.lower_ in ("he", "she"):
            continue
        keys = surname_of.get(entity_key(_POSSESSIVE.sub("", t.text)))
        if keys and len(keys) == 1 and t.pos_ == "PROPN":
            g = groups[next(iter(keys))]
            _add(g, Span(t.idx, t.idx + len(t.text)), t.text)


def _nationality_words(phrase: str) -> list[str]:
    return [w for w in re.findall(r"[A-Z][\w.]+", phrase) if w.lower() not in ROLE_WORDS and w.lower() not in ("the", "mr", "mrs", "ms")]


def _tie_role_descriptions(doc, groups: dict[str, _Group]) -> None:
    """"the Russian leader" / "The Belarusian President" -> the person the article ties it to."""
    people = {k: g for k, g in groups.items() if g.label == "PERSON" and len(g.name.split()) >= 2}
    if not people:
        return
    covered = set()
    for g in groups.values():
        for s in g.mentions:
            covered.update(range(s.start, s.end))
    for chunk in doc.noun_chunks:
        words = [t for t in chunk if not t.is_punct]
        if len(words) < 2 or words[0].lower_ != "the" or words[-1].lower_ not in ROLE_WORDS:
            continue
        nxt = doc[chunk.end] if chunk.end < len(doc) else None
        if nxt is not None and nxt.ent_type_ == "PERSON":
            continue  # "the Russian leader Vladimir Putin": a role before a name, not a description
        if any(t.idx in covered and t.ent_type_ == "PERSON" for t in chunk):
            continue
        nats = [t.text for t in chunk if t.ent_type_ in ("NORP", "GPE")]
        if not nats:
            continue
        role_noun = words[-1].lower_
        candidates = []
        unknown = []
        for key, g in people.items():
            role = g.attributes.get("role", "")
            pn = _nationality_words(role)
            if pn and any(same_nationality(a, b) for a in pn for b in nats):
                candidates.append(key if role_noun in role.lower() or role_noun == "leader" else key)
            elif not pn:
                unknown.append(key)
        if len(candidates) == 1:
            target = candidates[0]
        elif not candidates and len(unknown) == 1:
            target = unknown[0]
        else:
            continue
        span = Span(chunk.start_char, chunk.end_char)
        _add(groups[target], span, chunk.text)


class EntityIndex:
    """Which entity a character range names (for quote speakers and quantity subjects)."""

    def __init__(self, entities: Iterable[Entity]):
        self.entities = tuple(entities)
        self._spans = sorted((s.start, s.end, e) for e in self.entities for s in e.mentions)
        self.by_key = {e.key: e for e in self.entities}
        self._last_word: dict[str, list[Entity]] = defaultdict(list)
        for e in self.entities:
            for w in {e.name.split()[-1], e.name.split()[0]} if e.name else ():
                self._last_word[entity_key(w)].append(e)

    def at(self, start: int, end: int, label: str | None = None) -> Entity | None:
        """The entity with a mention overlapping ``[start, end)`` (the longest overlap wins)."""
        best, best_len = None, 0
        for s, t, e in self._spans:
            if s >= end:
                break
            if t <= start or (label and e.label != label):
                continue
            overlap = min(t, end) - max(s, start)
            if overlap > best_len:
                best, best_len = e, overlap
        return best

    def named(self, name: str) -> Entity | None:
        key = entity_key(normalize_name(name))
        if key in self.by_key:
            return self.by_key[key]
        hits = self._last_word.get(key, [])
        return hits[0] if len(hits) == 1 else None

    def persons(self) -> list[Entity]:
        return [e for e in self.entities if e.label == "PERSON"]


def _fuzzy_same(a: str, b: str) -> bool:
    from rapidfuzz.fuzz import ratio

    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and wa[-1] == wb[-1] and ratio(a, b) >= 88 or (len(wa) == len(wb) >= 2 and ratio(a, b) >= 92)


def merge_entities_across(articles: Sequence[Article]) -> dict[str, str]:
    """Map every entity key in ``articles`` to one canonical key shared by the story.

    Full names are canonical; near-identical spellings ("volodymr zelensky" / "volodymyr
    zelensky") fold into the most mentioned; a lone surname or first name joins the one full
    name across the story it fits.
    """
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for a in articles:
        for e in a.entities:
            counts[e.key] += max(1, len(e.mentions))
            labels.setdefault(e.key, e.label)
    from samestory.text.translit import to_latin

    mapping = {k: k for k in counts}
    # names compared in Latin letters: "александр лукашенко" and "alexander lukashenko" are one
    latin = {k: " ".join(to_latin(w) for w in k.split()) for k in counts}
    full = sorted((k for k in counts if len(k.split()) >= 2 and labels.get(k) == "PERSON"), key=lambda k: (-counts[k], k))
    canon: list[str] = []
    for k in full:
        hit = next((c for c in canon if _fuzzy_same(latin[k], latin[c])), None)
        if hit:
            mapping[k] = hit
        else:
            canon.append(k)
    by_word: dict[str, set[str]] = defaultdict(set)
    for c in canon:
        words = latin[c].split()
        by_word[words[-1]].add(c)
        by_word[words[0]].add(c)
    for k in counts:
        if len(k.split()) == 1 and latin[k] in by_word and len(by_word[latin[k]]) == 1:
            mapping[k] = next(iter(by_word[latin[k]]))
    return mapping


def apply_story_keys(articles: Sequence[Article], mapping: dict[str, str] | None = None) -> list[Article]:
    """Articles with entity, quote-speaker and quantity keys rewritten to the story's canonical keys
    (entities that now share a key are merged, keeping every mention, alias and attribute)."""
    mapping = mapping if mapping is not None else merge_entities_across(articles)
    names: dict[str, str] = {}
    for a in articles:
        for e in a.entities:
            if mapping.get(e.key, e.key) == e.key and e.key not in names:
                names[e.key] = e.name
    out = []
    for a in articles:
        merged: dict[str, Entity] = {}
        for e in a.entities:
            k = mapping.get(e.key, e.key)
            if k in merged:
                m = merged[k]
                merged[k] = replace(
                    m,
                    mentions=tuple(sorted(set(m.mentions) | set(e.mentions), key=lambda s: s.start)),
                    aliases=tuple(dict.fromkeys(m.aliases + e.aliases)),
                    attributes={**e.attributes, **m.attributes},
                )
            else:
                merged[k] = replace(e, key=k, name=names.get(k, e.name))
        quotes = tuple(
            replace(q, speaker_key=mapping.get(q.speaker_key, q.speaker_key), speaker=names.get(mapping.get(q.speaker_key, ""), q.speaker))
            if q.speaker_key else q
            for q in a.quotes
        )
        quantities = tuple(replace(q, about_key=mapping.get(q.about_key, q.about_key)) if q.about_key else q for q in a.quantities)
        out.append(replace(a, entities=tuple(merged.values()), quotes=quotes, quantities=quantities))
    return out
