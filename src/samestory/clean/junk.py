"""Line-level junk removal for extracted or plain article text, with a removal log.

Scrapers and aggregators leave page furniture in article text: ad-slot labels, "read more"
links, WordPress ``[caption]`` shortcodes, photo credits, comment forms, newsletter and share
prompts, related-stories blocks, newsroom footers, timestamps and view counters. This module
removes them and records every removed span as a ``Removal(start, end, text, reason)`` whose
offsets point into the text it was given.

How it decides
--------------
The text is cut into *units*: one non-blank line each (or one blank-line separated block when
the text is hard-wrapped; lines that one ``[caption ...]`` tag spans are one unit too). Each rule looks at one unit plus its context among the units still
kept: its position (top / bottom of the article), its neighbours, its length and whether it
reads as a sentence. Rules are generic patterns (the shape of a credit line, a comment form, a
footer that speaks as "our news team"), never a list of sentences from particular articles.
Reporting is protected by requiring short lines, page-furniture vocabulary, no quotation, and
positions where furniture lives (a footer rule only looks at the last few units).

Rules run to a fixed point: after one pass removes units, the next pass re-evaluates the
remaining ones (e.g. a footer that only becomes "last" once the comment form under it is gone),
until nothing changes. Because the decision depends only on the kept units' texts and order,
and the clean text is those units joined by blank lines, cleaning is idempotent:
``clean_text(clean_text(x)[0]) == clean_text(x)[0]``.

Captions (WordPress ``...[/caption]`` lines, lines ending in "(Picture: ...)", "Pictured: ..."
lines, lone credit lines such as "EPA") are removed from the body and returned as caption
metadata.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from samestory.models import Removal


__all__ = ["clean_text", "split_units", "Unit", "normalize_line", "JunkLimits", "LIMITS"]

# ---------------------------------------------------------------- units


@dataclass
class Unit:
    """One line (or hard-wrapped paragraph) of the input: its kept text and where it came from.

    ``segments`` are the ``(start, end)`` ranges of the input that are still kept; a rule that
    strips part of a unit (an inline shortcode) removes a range from them.
    """

    start: int
    end: int
    text: str
    segments: list[tuple[int, int]] = field(default_factory=list)
    _bare: str | None = field(default=None, repr=False, compare=False)

    @property
    def bare(self) -> str:
        """``text`` lower-cased with punctuation trimmed from both ends (cached; rules ask often)."""
        if self._bare is None:
            self._bare = _bare(self.text)
        return self._bare


_BLANK = re.compile(r"[ \t\f\v\u00a0\u200b\ufeff]*")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*$")


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line's content, stripped of surrounding whitespace; blanks kept as (i, i)."""
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        lead = len(body) - len(body.lstrip())
        content = body.strip()
        s = pos + lead
        out.append((s, s + len(content)))
        pos += len(raw)
    return out


def _looks_hard_wrapped(blocks: list[list[tuple[int, int]]], text: str) -> bool:
    """True when multi-line blocks read like one paragraph wrapped at a fixed width."""
    inner = [text[s:e] for b in blocks if len(b) > 1 for (s, e) in b[:-1]]
    if len(inner) < 3:
        return False
    widthy = sum(40 <= len(t) <= 100 for t in inner) / len(inner)
    open_ended = sum(not _TERMINAL.search(t) for t in inner) / len(inner)
    return widthy >= 0.8 and open_ended >= 0.5


def split_units(text: str) -> list[Unit]:
    """Cut ``text`` into units with their offsets into ``text``."""
    blocks: list[list[tuple[int, int]]] = [[]]
    for s, e in _lines(text):
        if s == e:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append((s, e))
    blocks = [b for b in blocks if b]
    units: list[Unit] = []
    if _looks_hard_wrapped(blocks, text):
        for b in blocks:
            joined = " ".join(text[s:e] for s, e in b)
            units.append(Unit(b[0][0], b[-1][1], joined, [(s, e) for s, e in b]))
    else:
        for b in blocks:
            for group in _shortcode_line_groups(b, text):
                units.append(Unit(group[0][0], group[-1][1], " ".join(text[s:e] for s, e in group), group))
    return units


def _shortcode_line_groups(block: list[tuple[int, int]], text: str) -> list[list[tuple[int, int]]]:
    """The block's lines, one per group, except that lines a ``[caption ...]`` tag spans are one group.

    A tag whose attributes were wrapped over several lines is then one unit, so it is stripped
    (or the unit removed) as a whole, and the clean text holds it on one line.
    """
    groups = [[line] for line in block]
    if len(block) < 2 or not any("[" in text[s:e] for s, e in block):
        return groups
    starts, pos = [], 0  # offset of each line in the lines joined by single spaces
    for s, e in block:
        starts.append(pos)
        pos += e - s + 1
    joined = " ".join(text[s:e] for s, e in block)
    first_of = list(range(len(block)))  # each line's group: the first line of the group
    for m in _SHORTCODE.finditer(joined):
        i = bisect_right(starts, m.start()) - 1
        j = bisect_right(starts, m.end() - 1) - 1
        for k in range(i + 1, j + 1):
            first_of[k] = first_of[i]
    merged: list[list[tuple[int, int]]] = []
    for k, line in enumerate(block):
        if k and first_of[k] == first_of[k - 1]:
            merged[-1].append(line)
        else:
            merged.append([line])
    return merged


def normalize_line(line: str) -> str:
    """Case-, digit- and whitespace-insensitive form of a line (for repeats and title checks)."""
    return " ".join(re.sub(r"\d+", "0", line.casefold()).split())


# ---------------------------------------------------------------- helpers

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_QUOTE = re.compile(r"[\"“”«»]")


def _words(t: str) -> list[str]:
    return _WORD.findall(t)


def _bare(t: str) -> str:
    """Lower case, punctuation and bullets trimmed from both ends, inner whitespace collapsed."""
    low = t.casefold()
    i, j = 0, len(low)
    while i < j and not low[i].isalnum():
        i += 1
    while j > i and not low[j - 1].isalnum():
        j -= 1
    return " ".join(low[i:j].split())


def _nwords(t: str) -> int:
    """Word count by whitespace: cheap, and close enough for the length limits the rules use."""
    return len(t.split())


def _is_sentence(t: str) -> bool:
    """Reads like a sentence of reporting: several words and closing punctuation."""
    return _nwords(t) >= 6 and bool(re.search(r"[.!?…][\"'”’)\]]*$", t))


def _headline_like(t: str) -> bool:
    """A short line without a closing full stop: a link title or a heading, not a paragraph."""
    n = _nwords(t)
    return 1 <= n <= 20 and not re.search(r"[.!…][\"'”’)\]]*$", t)


# ---------------------------------------------------------------- vocabularies

_AGENCIES = {
    "ap", "ap photo", "associated press", "epa", "epa-efe", "efe", "afp", "afp via getty images",
    "agence france-presse", "reuters", "getty", "getty images", "gettyimages", "istock", "istockphoto",
    "pa", "pa media", "pa wire", "pa images", "pa archive", "press association", "shutterstock",
    "rex", "rex features", "alamy", "alamy stock photo", "bloomberg", "xinhua", "tass", "ria novosti",
    "sputnik", "anadolu", "anadolu agency", "dpa", "ansa", "anp", "kyodo", "yonhap", "nurphoto",
    "sopa images", "zuma", "zuma press", "zuma wire", "zumapress", "bbc", "handout", "supplied",
    "file", "file photo", "stock", "stock image", "courtesy", "universal images group", "imago",
    "picture alliance", "wireimage", "filmmagic", "corbis", "splash news", "backgrid", "mega",
    "news licensing", "kremlin press service", "unsplash", "pexels", "contributor",
}
# words that end a credit ("Mikhail Metzel/AP", "Jane Doe Getty"), distinctive enough not to end a subhead
_AGENCY_WORDS = {
    "ap", "epa", "afp", "reuters", "getty", "shutterstock", "alamy", "istock", "istockphoto", "xinhua", "tass", "sputnik",
    "anadolu", "dpa", "ansa", "anp", "kyodo", "yonhap", "nurphoto", "zuma", "zumapress", "imago", "wireimage", "filmmagic",
    "corbis", "backgrid", "unsplash", "pexels", "efe", "epa-efe",
}
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
# German, French, Spanish, Italian and Portuguese month names: datelines on European pages ("24. März 2004")
_MONTHS += (
    "januar jänner februar märz mai juni juli oktober dezember janvier février mars avril juin juillet août septembre "
    "octobre novembre décembre enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre janeiro fevereiro março maio junho julho "
    "setembro outubro novembro dezembro mär okt dez"
).split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split()
_TIME_WORDS = set(
    _MONTHS + _WEEKDAYS + (
        "am pm gmt bst utc cet cest est edt pst pdt et pt ist aest "
        "updated update published posted last modified on at ago just now yesterday today "
        "sec secs second seconds min mins minute minutes hr hrs hour hours day days week weeks "
        "wk wks month months mo yr yrs year years views view reads read time reading comments "
        "comment shares share likes like de the of and "
        # German / French / Spanish dateline words ("Letzte Änderung 14.02.2019", "publié le 3 mars")
        "uhr am um vom letzte letzter änderung aktualisiert veröffentlicht stand vor minuten stunden tagen "
        "publié mis à jour le la el del actualizado publicado hace"
    ).split()
)
_SHARE_WORDS = set(
    "share shares sharing tweet email e-mail facebook twitter x whatsapp linkedin pinterest reddit print "
    "copy link copied messenger telegram flipboard save saved bookmark this article story on via "
    "comments comment sms mail url gift".split()
)

# ---------------------------------------------------------------- patterns (all case-insensitive)

_I = re.I

_AD_ONE = (
    r"(advertisement|advertisements|advertising|advert|ads?|sponsored( content| post| stories)?|paid (content|post)"
    r"|promoted( content| stories)?|adchoices|\w+ ad ?box|ad ?(box|slot|unit|container|space|break)"
    r"|(story|article|content) continues (below|after)( this)?( advertisement| advert| ad)?"
    r"|continue reading (below|the main story)|scroll (down )?to continue( with content| reading)?"
    r"|skip (advert|advertisement|ad)|remove ads|ads? by \w+|advertise with us|report (this )?ad)"
)
_AD_SLOT = re.compile(rf"{_AD_ONE}(?:[\s\W]+{_AD_ONE})*", _I)
_READ_MORE_LINE = re.compile(
    r"(((click|tap) here to )?(read|see|view|show|load)( the)? (more|entire|full|whole|original|complete|rest)"
    r"( of)?( the| this)?( article| story| stories| report| post| piece| coverage| news)?"
    r"|(read|see|view) (article|story|more)|continue reading( this| the)?( article| story)?|keep reading"
    r"|read (the )?(article|story) (here|online|in full)|full (story|article)( here)?|more (here|details)"
    # German, French, Spanish, Italian, Portuguese ("Weiterlesen", "Mit top+ weiterlesen", "Pour lire la suite")
    r"|((jetzt|hier|mit [\w+ ]{1,20}) )?weiterlesen|(den )?(ganzen|vollständigen) artikel lesen|mehr lesen|mehr erfahren"
    r"|(pour )?lire la suite|pour accéder en illimité|lire plus|(seguir|continuar) leyendo|leer más|leia mais"
    r"|continua a leggere|leggi (tutto|di più)"
    r")( here| online| in full| now| on [\w .'’-]{1,40}| at [\w .'’-]{1,40})?",
    _I,
)
_READ_MORE_PREFIX = re.compile(
    r"^(read more|read also|also read|more|related|related article|related story|see also|recommended|don'?t miss"
    r"|must read|also see|watch|watch more|click here"
    r"|lesen sie (auch|hier|mehr|dazu)|auch lesen|lies auch|mehr zum thema|siehe auch|zum thema|passend dazu|das könnte"
    r" (dich|sie) (auch )?interessieren|lire aussi|à lire aussi|voir aussi|le puede interesar|te puede interesar"
    r"|lee también|lea también|leia também|leggi anche|vedi anche)\s*[:|»›>–—]\s*\S",
    _I,
)
# A [caption ...] / [/caption] tag, also when wrapped over lines. The body is capped at 400
# non-space characters so a stray "[caption" cannot swallow an article up to a far "]"; runs of
# whitespace do not count, so the same tag matches in the raw text and in the cleaned (collapsed) one.
_SHORTCODE_MAX = 400
_SHORTCODE = re.compile(rf"\[/?caption\b(?:\s*+[^\]\s]){{0,{_SHORTCODE_MAX}}}\s*+\]", _I)
_CAPTION_END = re.compile(r"\[/caption\]\s*$", _I)
_TRAILING_CREDIT = re.compile(
    r"(\((picture|pictures|photo|photos|photograph|image|images|pic|pics|credit|credits|video)\s*:[^()]{1,120}\)"
    r"|\(\s*(photo|picture|image|pic)s? (by|courtesy( of)?|via|credit)[^()]{1,120}\))\s*$",
    _I,
)
_GUARDIAN_CREDIT = re.compile(
    r"[.!?\"”’)]\s+(photograph|photo|picture|image|composite|illustration)s?\s*:\s*[^.!?]{1,100}$", _I
)
_CAPTION_PREFIX = re.compile(r"^(pictured|above|below|top|left|right|inset|main picture|main image)\s*:\s*\S", _I)
_CREDIT_PREFIX = re.compile(
    r"^\(?\s*(photo|photograph|picture|pic|image|images|credit|photo credit|image credit|picture credit|source|"
    r"photography|video|illustration|graphic|main image|header image|featured image|cover image"
    r"|foto|fotos|bild|bilder|titelbild|beitragsbild|bildquelle|quelle|fotoquelle|crédits? photos?|crédits?"
    r"|image illustrative|fotografía|imagen)s?"
    r"\s*(:|by|courtesy( of)?|via|credit)\s*[^\n]{1,100}$",
    _I,
)
_PAGE_CONTROL = re.compile(
    r"(image|images|photo|photos|video|videos|gallery|play|play video|watch|watch video|watch now|listen"
    r"|listen to (this|the) (article|story)|toggle caption|hide caption|show caption|enlarge this image|expand"
    r"|collapse|close|skip to (main )?content|loading|image \d+ of \d+|photo \d+ of \d+|\d+ of \d+|\d+ ?/ ?\d+"
    r"|\d+ (photos|images|pictures)|\d{1,2}:\d{2}( ?/ ?\d{1,2}:\d{2})?|click to (expand|enlarge|play)"
    r"|(view|open|see) (the )?gallery|zoom|full ?screen|audio|print( this)?( article| page)?|font size"
    r"|text size|a ?a ?a|back to top|menu|search|sign in|log in|subscribe|share|show more|show less"
    r"|view all|see all|follow|unfollow|follow topic|save article|saved|gift (this )?article|copy link"
    r"|(please )?(enable|turn on|activate) javascript\b.*|(you need to |you must )?enable javascript\b.*"
    r"|javascript (is )?(disabled|required|must be enabled)\b.*|your browser does not support\b.*"
    # the same controls on German, French and Spanish pages
    r"|inhaltsverzeichnis|inhalt|table of contents|contents|sommaire|índice|drucken|druckansicht|teilen|artikel teilen"
    r"|nach oben|zurück|zurück zur übersicht|mehr anzeigen|weniger anzeigen|alle anzeigen|suche|suchen|anmelden"
    r"|einloggen|registrieren|schließen|menü|startseite|merken|vorlesen|partager|imprimer|fermer|retour en haut"
    r"|compartir|imprimir|cerrar|volver arriba|bild \d+ von \d+|foto \d+ von \d+|\d+ bilder|zur bildergalerie"
    r"|(dein|ihr|your) browser (ist|is) (leider )?(veraltet|outdated|nicht mehr aktuell|not supported)\b.*"
    r"|(bitte )?aktivieren sie javascript\b.*)",
    _I,
)
_COMMENT_FORM = re.compile(
    r"(leave a (reply|comment)( cancel reply)?|post a comment|add a comment|write a comment|cancel reply"
    r"|comments?( \(\d+\))?|\d+ comments?|(view|show|hide|read|see|load)( all| more)?( \d+)? comments"
    r"|join the (conversation|discussion|debate)|comments are (closed|now closed|disabled)"
    r"|(you must|please) (be )?log(ged)? ?in to (post a )?comment|log ?in to comment|post comment|submit( comment)?"
    r"|name|email|e-mail|website|comment|name \*|email \*|comment \*|website \*"
    r"|save my name,? email,? and website in this browser for the next time i comment"
    r"|notify me of (follow-up comments|new posts|new comments)( by email)?"
    r"|be the first to comment( on this (article|story))?|have your say|what do you think|comment now"
    # German, French, Spanish comment forms
    r"|keine kommentare( \(.{0,80}\))?|kommentare( insgesamt)?:?( \d+)?|\d+ kommentare?|kommentar (schreiben|verfassen)"
    r"|(schreibe|hinterlasse|verfasse) (einen kommentar|eine antwort)|antwort hinterlassen|dein kommentar|ihr kommentar"
    r"|(du musst|sie müssen) .{0,30}(eingeloggt|angemeldet|registriert) sein\b.{0,80}"
    r"|sie sind (aktuell |derzeit |momentan )?nicht (eingeloggt|angemeldet)|noch keine kommentare( vorhanden)?"
    r"|laisser un commentaire|commentaires?( \(\d+\))?|\d+ commentaires?|deja un comentario|comentarios?( \(\d+\))?"
    r"|\d+ comentarios?|lesermeinungen?|leserkommentare"
    r"|required fields are marked( \*)?)",
    _I,
)
# phrases that only ever occur in comment forms (plain substring tests: much cheaper than a regex)
_COMMENT_PHRASES = (
    "your email address will not be published", "required fields are marked *", "akismet to reduce spam",
    "save my name, email, and website", "commenting policy", "commenting guidelines", "community guidelines for comments",
)
_COMMENT_HEADING = re.compile(
    r"(leave a (reply|comment)|post a comment|add a comment|comments?( \(\d+\))?|\d+ comments?|join the (conversation|discussion)"
    r"|comments are (closed|now closed)|kommentare?( \(\d+\))?|\d+ kommentare?|keine kommentare|leserkommentare"
    r"|kommentar (schreiben|verfassen)|(schreibe|hinterlasse) einen kommentar|commentaires?|laisser un commentaire"
    r"|comentarios?|deja un comentario)",
    _I,
)
_PROMPT_START = re.compile(
    r"^(sign up|sign-up|subscribe|join (us|our|the conversation|\d)|get (our|the latest|breaking|the best|exclusive|daily|free|all)"
    r"|download (our|the)|follow (us|@|\w+ on)|like us|share (this|on|your)|never miss|don'?t miss"
    r"|stay (up to date|informed|in the know)|enter your email|by (signing up|subscribing|clicking)|we use your sign-?up"
    r"|click here|tap here|want more|for the latest|receive (our|the)|keep up (to date|with)|be the first to (know|get|hear)"
    r"|turn on (notifications|alerts)|find us on|connect with us)\b",
    _I,
)
_PROMPT_ADDRESS = re.compile(r"\b(you|your|our|us|download)\b|@\w|\bon (twitter|x|facebook|instagram|tiktok|youtube|whatsapp|telegram"
                             r"|threads|bluesky|snapchat|linkedin)\b", _I)
_PROMPT_TOPIC = re.compile(
    r"(newsletter|inbox|e-?mail|subscribe|subscription|sign ?-?up|follow us|facebook|twitter|instagram|tiktok|youtube"
    r"|whatsapp|telegram|snapchat|threads|bluesky|our app|the app|app store|google play|notifications|podcast|alerts"
    r"|updates|breaking news|daily briefing|morning briefing|privacy (notice|policy)|terms (of|and) (service|use))",
    _I,
)
_RELATED_HEADING = re.compile(
    r"(more trending|trending( now| stories| articles| news| topics)?|read more stories|more stories|more from [\w .'’&-]{1,40}"
    r"|more on this( story| topic)?|more on [\w .'’-]{1,30}|related( stories| articles| content| coverage| posts| news"
    r"| links| reading| topics| video| videos)?|you (may|might) (also )?(like|enjoy|be interested in)|recommended( for you"
    r"| stories| reading| articles| videos)?|most (read|popular|viewed|shared|commented)|top stories|don'?t miss|do not miss"
    r"|latest( news| stories| headlines| videos)?|what to read next|read next|up next|also on [\w .'’-]{1,40}"
    r"|in other news|more news|more headlines|editor'?s? picks|popular( now| stories| articles)?|around the (web|site)"
    r"|from the web|sponsored stories|we recommend|further reading|more in [\w .'’-]{1,30}|more (videos|galleries)"
    r"|trending videos|watch next|explore more|more like this|other stories|related searches|top picks|more top stories"
    r"|more to explore|read these next|continue exploring|elsewhere on [\w .'’-]{1,30}|most read stories"
    # German, French, Spanish, Italian, Portuguese
    r"|weitere (aktuelle )?(artikel|beiträge|themen|nachrichten|meldungen|news|berichte|storys)( [\w .'’-]{1,40})?"
    r"|(empfohlene|ähnliche|verwandte|beliebte|neueste|aktuelle|passende|kommentierte|meistgelesene) (beiträge|artikel"
    r"|themen|nachrichten|meldungen)|das (thema )?könnte (dich|sie) auch interessieren|(das|dies) (könnte|dürfte)"
    r" (dich|sie) auch interessieren|lesen sie auch( die folgenden beiträge| diese artikel)?|auch interessant"
    r"|mehr zum thema( [\w .'’-]{1,30})?|meistgelesen|meist-?(gelesen|diskutiert|kommentiert)|beiträge aus dem forum"
    r"|vorschau auf den nächsten artikel|auch auf [\w.'’-]{1,40}|weitere beiträge aus der kolumne|top-?themen"
    r"|contenido relacionado|noticias relacionadas|artículos relacionados|te puede interesar|le puede interesar"
    r"|articles? (liés|similaires|recommandés)|à lire aussi|lire aussi|sur le même sujet|articoli correlati"
    r"|leggi anche|notícias relacionadas|leia também|veja também)",
    _I,
)
_FOOTER = [
    # the newsroom speaking to readers: "get in touch with our news team", "email us at ..."
    re.compile(
        r"\b(get in touch|contact|email|e-mail|write to|message|tip ?off|send|call|reach)\b[^\"“”]{0,80}"
        r"\b(our|us)\b[^\"“”]{0,80}\b(news ?team|news ?desk|newsroom|editors?|editorial|reporters?|journalists?|team"
        r"|stories|story|tips?|pictures|videos|at [\w.+-]+@[\w-]+\.[\w.]+|on \+?\d)",
        _I,
    ),
    re.compile(r"\b(our|us)\b.{0,60}\b(news ?team|news ?desk|newsroom)\b.{0,60}\b(at|on|via)\b.{0,80}(@|\d{3})", _I),
    re.compile(r"^for more (stories|news|articles|coverage|updates|content|information|reporting)( like this)?\b.{0,60}"
               r"\b(check|visit|see|follow|head|go|read|click|sign)\b", _I),
    re.compile(r"\b(check|visit|see|head to|go to|follow|explore) (out )?our\b.{0,50}\b(page|site|website|section|hub|live blog"
               r"|coverage|channel|homepage|app)\b", _I),
    re.compile(r"^(got|have|do you have|if you have) a (story|news story|tip|video|picture|photo|question)\b", _I),
    re.compile(r"\bwe pay for (your )?(stories|videos|pictures|photos)\b", _I),
    re.compile(r"^(this (article|story|piece) (was|has been|is) (originally |first )?(published|updated|amended|corrected"
               r"|republished|reproduced)|(originally|first) (published|appeared) (on|in|at|by))\b", _I),
    re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\s*(©|\(c\)|\d{4})|\ball rights reserved\b", _I),
    re.compile(r"^our (standards|editorial (standards|guidelines|policy)|trust principles)\b", _I),
    re.compile(r"\b(submit|send) (your|a) (letter|tip|story|news tip)s?\b.{0,40}\b(editor|us|this form)\b", _I),
]
# every footer pattern needs one of these; a cheap test before the costlier patterns
_FOOTER_HINT = re.compile(r"\b(our|us|we|copyright|rights reserved|originally|first published|for more|got a|have a|pay for|submit|send"
                          r"|this (article|story|piece))\b|©|\(c\)|@", _I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_RELATIVE_TIME = re.compile(
    r"\b\d+\s*(s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|months?|y|yrs?|years?)\s+ago\b",
    _I,
)
# lines that only file the article: "Kategorie: News", "News date : 04/21/2022 Category : Press Releases"
_CATEGORY_LINE = re.compile(
    r"(^|\s)(kategorie|kategorien|category|categories|catégories?|categoría|categorias?|rubrik|ressort|tags?|schlagwörter"
    r"|schlagworte|stichwörter|stichworte|filed under|posted in|veröffentlicht in|abgelegt unter|étiquettes|etiquetas)"
    r"\s*:\s*\S", _I)
# advertising and affiliate disclosures ("*Werbung. Dieser Beitrag enthält Werbung für ...")
_DISCLOSURE = re.compile(
    r"^\W*(werbung|anzeige|unbezahlte werbung|advertisement|sponsored|publicidad|publicité)\s*[.:|]"
    r"|\b(dieser|der) (beitrag|artikel|post|text) (enthält|beinhaltet) (\w+ )?(werbung|anzeigen|affiliate|werbelinks|provisions)"
    r"|\bthis (post|article|page) (contains|includes) (\w+ )?(affiliate|sponsored|paid)"
    r"|\baffiliate[- ]?links?\b|\bprovisions-?links?\b|\bwerbelinks?\b", _I)
# readers asked for money or membership ("Unterstütze RosaMag bereits mit 2,50!", "would you consider supporting our work?")
_SUPPORT_PROMPT = re.compile(
    r"\b(consider|please) support(ing)? (our|us|independent)\b|\bsupport (our|independent) (work|journalism|reporting)\b"
    r"|^(unterstütze|unterstützen sie|hazte|apoya|soutenez)\b.{0,60}(\d|\b(uns|unsere|unser|mitglied|miembro|abonnent"
    r"|journalismus|periodismo|journalisme)\b)|^(support|become|werde|werden sie)\s+(us|our work|a member|a subscriber"
    r"|a supporter|mitglied|abonnent\w*|unterstützer\w*)\b"
    r"|\b(to (view|read|continue reading) (the|this) (full|rest of the) (story|article)|please subscribe|already a subscriber)\b"
    r"|\b(puedes|können sie|kannst du) .{0,40}\b(periodismo|journalismus)\b.{0,40}\b(cancela|kündig)", _I)
# embeds waiting for consent: "Klicken Sie auf den unteren Button, um den Inhalt von www.komoot.de zu laden."
_EMBED_PLACEHOLDER = re.compile(
    r"\b(klick|klicken|click|tap|button|schaltfläche|akzeptier|accept|einwillig|consent)\w*\b.{0,80}"
    r"\b(inhalt|inhalte|content|video|karte|map|beitrag)\b.{0,60}\b(zu laden|laden|load|anzuzeigen|anzeigen|entsperren"
    r"|unlock|display)\b", _I)
# contact lines of a press release's footer ("Telefon: +49 - (40) - 300 30 - 1141")
_CONTACT_LINE = re.compile(r"^(telefon|tel|phone|fax|telefax|mobil|mobile|handy|e-?mail|kontakt|contact)\.?\s*:?\s*[+(\d]", _I)
# a caption that ends with a copyright credit ("Marco Odermatt, Ski-Star. © AFP / MARCO BERTORELLO")
_COPYRIGHT_CREDIT = re.compile(r"(^|[\s.,;:])©\s?[^©.!?]{2,80}$")

_BYLINE = re.compile(r"^(?i:by|words by|written by|reporting by|report by|story by)\s+[A-Z][\w.'’-]+", re.U)

# ---------------------------------------------------------------- limits


@dataclass(frozen=True)
class JunkLimits:
    """Every size and position limit the rules use, in one place (characters unless a name says words).

    How they were chosen: set by hand when each rule was written, from the furniture seen in the seeds and in the
    article-extraction-benchmark pages (the longest such line, with headroom), then kept or changed only when
    bench/extraction.py did not get worse: the English set's shingle F1 (0.970 with these) and trafilatura-evaldata's
    snippet F1 (0.944). The rule is always: furniture is short and sits where furniture sits; a limit is the most
    a line may hold and still be taken for furniture, so reporting longer than it is never touched.
    """

    title_top_units: int = 2  # a repeat of the headline counts only among the first units (index <= this)
    ad_max_chars: int = 80  # an ad-slot label line
    ad_bare_max_chars: int = 60  # ... once trimmed
    read_more_max_chars: int = 300  # "Read more: <headline>" lines
    read_more_bare_max_chars: int = 80  # a bare "Read more" link
    read_more_max_words: int = 30
    credit_max_words: int = 10  # "Mikhail Metzel/AP"
    credit_part_max_words: int = 4  # one part of a credit ending in an agency word
    credit_rule_max_chars: int = 150
    credit_rule_max_spaces: int = 12
    credit_before_caption_max_chars: int = 60
    credit_before_caption_max_words: int = 6
    caption_max_chars: int = 700
    caption_credit_tail_chars: int = 130  # where a caption's "(Picture: ...)" credit may start, from the end
    caption_label_head_chars: int = 25  # where a "Pictured:" label may end, from the start
    caption_with_credit_max_words: int = 80
    caption_prefixed_max_words: int = 60
    page_control_max_chars: int = 160
    page_control_bare_max_chars: int = 150
    share_buttons_max_words: int = 8
    comment_form_max_chars: int = 320
    comment_phrase_max_words: int = 40
    comment_form_bare_max_chars: int = 120
    comment_heading_max_chars: int = 70
    comment_low_share: float = 0.6  # a comment heading sits in the last 40% of the units ...
    comment_low_units: int = 3  # ... or among the last few
    comment_form_neighbours: int = 2  # a bare "Name *" label counts beside form text this close
    prompt_max_chars: int = 300
    prompt_max_words: int = 35
    newsletter_max_words: int = 30
    newsletter_heading_max_words: int = 4  # "Example Newsletter"
    related_max_chars: int = 70
    related_bare_max_chars: int = 60
    related_block_units: int = 8  # headline-like lines under a related-stories heading removed with it
    footer_last_units: int = 3  # a newsroom footer sits among the last units
    footer_max_chars: int = 400
    footer_max_words: int = 45
    footer_email_max_words: int = 30
    time_line_max_words: int = 14
    timestamp_max_chars: int = 120
    timestamp_top_units: int = 4
    timestamp_bottom_units: int = 1
    relative_time_max_words: int = 8  # "3 hours ago"
    filing_max_chars: int = 400  # category lines, disclosures, support prompts, consent placeholders
    filing_long_max_words: int = 40
    category_max_words: int = 12
    copyright_credit_max_words: int = 12
    copyright_credit_max_chars: int = 100
    copyright_caption_max_chars: int = 300
    contact_max_chars: int = 120
    contact_max_words: int = 12
    contact_low_share: float = 0.5  # contact lines only in the second half of the units
    byline_top_units: int = 3
    byline_max_chars: int = 120
    byline_max_words: int = 12


LIMITS = JunkLimits()

# ---------------------------------------------------------------- rule context


@dataclass(frozen=True)
class _Ctx:
    units: Sequence[Unit]  # the units still kept, in order
    index: int
    title_norm: str
    limits: JunkLimits = LIMITS

    @property
    def unit(self) -> Unit:
        return self.units[self.index]

    @property
    def from_end(self) -> int:
        return len(self.units) - 1 - self.index

    def neighbour(self, delta: int) -> Unit | None:
        j = self.index + delta
        return self.units[j] if 0 <= j < len(self.units) else None


@dataclass(frozen=True)
class _Verdict:
    reason: str
    caption: str | None = None  # caption metadata the removed unit carries
    through_end: bool = False  # remove every unit after this one too (a comment section)
    block: int = 0  # remove this many following units too (a related-stories list)


Rule = Callable[[_Ctx], "_Verdict | None"]


def _r_title(c: _Ctx) -> _Verdict | None:
    if c.index <= c.limits.title_top_units and c.title_norm and normalize_line(c.unit.text) == c.title_norm:
        return _Verdict("title repeated in the body")
    return None


def _r_shortcode(c: _Ctx) -> _Verdict | None:
    t = c.unit.text
    if "[" not in t:
        return None
    if _CAPTION_END.search(t):
        cap = " ".join(_SHORTCODE.sub(" ", t).split())
        return _Verdict("photo caption (WordPress [caption] shortcode)", caption=cap or None)
    if _SHORTCODE.sub("", t).strip() == "":
        return _Verdict("WordPress [caption] shortcode")
    return None


def _r_ad(c: _Ctx) -> _Verdict | None:
    if len(c.unit.text) > c.limits.ad_max_chars:
        return None
    t = c.unit.bare
    if len(t) <= c.limits.ad_bare_max_chars and _AD_SLOT.fullmatch(t):
        return _Verdict("ad slot")
    return None


def _r_read_more(c: _Ctx) -> _Verdict | None:
    t = c.unit.text
    L = c.limits
    if len(t) > L.read_more_max_chars:
        return None
    b = c.unit.bare
    if len(b) <= L.read_more_bare_max_chars and _READ_MORE_LINE.fullmatch(b):
        return _Verdict("read-more link")
    if _READ_MORE_PREFIX.search(t) and not _QUOTE.search(t) and _nwords(t) <= L.read_more_max_words:
        return _Verdict("read-more link")
    return None


def _credit_parts(t: str) -> list[str]:
    t = re.sub(r"^\(|\)$", "", t.strip())
    return [p.strip(" .") for p in re.split(r"\s*(?:/|;|,|\||&|\+|\bvia\b|\band\b|\bfor\b|\bfrom\b)\s*", t, flags=_I) if p.strip(" .")]


def _is_credit_line(t: str) -> bool:
    """A line naming only who took or supplied a picture: "EPA", "Contributor/Getty Images", "(Picture: AP)"."""
    words = _words(t)
    if not words or len(words) > LIMITS.credit_max_words or _is_sentence(t):
        return False
    if _CREDIT_PREFIX.match(t):
        return True
    parts = _credit_parts(t)
    if not parts:
        return False
    known = [p for p in parts if p.casefold() in _AGENCIES or (p.split() and p.split()[-1].casefold() in _AGENCY_WORDS
                                                                and len(p.split()) <= LIMITS.credit_part_max_words)]
    if not known:
        return False
    # every other part must look like a name ("Mikhail Metzel"), not a phrase of reporting
    return all(p in known or re.fullmatch(r"([A-Z][\w.'’-]*\s?){1,4}", p) for p in parts)


def _r_credit(c: _Ctx) -> _Verdict | None:
    t = c.unit.text
    if len(t) > c.limits.credit_rule_max_chars or t.count(" ") > c.limits.credit_rule_max_spaces:
        return None
    if _is_credit_line(t):
        return _Verdict("photo credit", caption=t)
    return None


_CREDIT_NAME_WORD = re.compile(r"[A-Z0-9][\w.'’&-]*|of|the|and|for|via|/|[A-Z][\w.'’&-]*/[A-Z][\w.'’&/-]*")


def _r_credit_before_caption(c: _Ctx) -> _Verdict | None:
    """A short name line directly above a ``...[/caption]`` line is that picture's credit
    ("Harbour Pictures", "Fire Service/Handout"), even when the agency is not a known one."""
    t = c.unit.text
    nxt = c.neighbour(1)
    if len(t) > c.limits.credit_before_caption_max_chars or nxt is None or not _CAPTION_END.search(nxt.text) or "[" in t:
        return None
    words = t.split()
    if not 1 <= len(words) <= c.limits.credit_before_caption_max_words or re.search(r"[.!?:;,\"“”]$", t):
        return None
    if all(_CREDIT_NAME_WORD.fullmatch(w) for w in words):
        return _Verdict("photo credit", caption=t)
    return None


def _r_caption(c: _Ctx) -> _Verdict | None:
    t = c.unit.text
    L = c.limits
    if len(t) > L.caption_max_chars or (":" not in t[-L.caption_credit_tail_chars:] and not t.rstrip().endswith(")")
                                        and ":" not in t[: L.caption_label_head_chars]):
        return None
    n = _nwords(t)
    if n <= L.caption_with_credit_max_words and (_TRAILING_CREDIT.search(t) or _GUARDIAN_CREDIT.search(t)) and not t.startswith(("“", '"')):
        return _Verdict("photo caption (ends with a picture credit)", caption=t)
    if n <= L.caption_prefixed_max_words and _CAPTION_PREFIX.match(t):
        return _Verdict("photo caption", caption=t)
    return None


def _r_page_control(c: _Ctx) -> _Verdict | None:
    if len(c.unit.text) > c.limits.page_control_max_chars:
        return None
    b = c.unit.bare
    if len(b) <= c.limits.page_control_bare_max_chars and _PAGE_CONTROL.fullmatch(b):
        return _Verdict("page control text")
    words = [w.casefold() for w in _words(c.unit.text)]
    if words and len(words) <= c.limits.share_buttons_max_words and all(w in _SHARE_WORDS for w in words) and not _is_sentence(c.unit.text):
        return _Verdict("share buttons")
    return None


def _r_comment_form(c: _Ctx) -> _Verdict | None:
    """Comment-form text that is unmistakable on its own ("Your email address will not be published")."""
    t = c.unit.text
    L = c.limits
    if len(t) > L.comment_form_max_chars:
        return None
    if _has_comment_phrase(t) and _nwords(t) <= L.comment_phrase_max_words:
        return _Verdict("comment form")
    b = c.unit.bare
    if len(b) <= L.comment_form_bare_max_chars and " " in b and _COMMENT_FORM.fullmatch(b):
        return _Verdict("comment form")
    return None


def _has_comment_phrase(t: str) -> bool:
    low = t.casefold()
    return any(p in low for p in _COMMENT_PHRASES)


def _is_form_text(u: Unit | None) -> bool:
    return u is not None and len(u.text) <= LIMITS.comment_form_max_chars and bool(
        _has_comment_phrase(u.text) or (len(u.bare) <= LIMITS.comment_form_bare_max_chars and _COMMENT_FORM.fullmatch(u.bare)))


def _r_comment(c: _Ctx) -> _Verdict | None:
    """A comment-section heading low in the article (and all after it), or a form label beside a form."""
    t = c.unit.text
    L = c.limits
    if len(t) > L.comment_heading_max_chars:
        return None
    b = c.unit.bare
    position_low = c.index >= len(c.units) * L.comment_low_share or c.from_end <= L.comment_low_units
    if position_low and c.index > 0 and _COMMENT_HEADING.fullmatch(b):
        return _Verdict("comment section", through_end=True)
    # bare labels ("Name *", "Email", "Website") only count next to other comment-form text
    near = [d for d in range(-L.comment_form_neighbours, L.comment_form_neighbours + 1) if d]
    if _COMMENT_FORM.fullmatch(b) and any(_is_form_text(c.neighbour(d)) for d in near):
        return _Verdict("comment form")
    return None


def _r_prompt(c: _Ctx) -> _Verdict | None:
    t = c.unit.text
    L = c.limits
    if len(t) > L.prompt_max_chars or _QUOTE.search(t):
        return None
    if _PROMPT_START.search(t) and _PROMPT_TOPIC.search(t) and _PROMPT_ADDRESS.search(t) and _nwords(t) <= L.prompt_max_words:
        return _Verdict("newsletter or social prompt")
    low = t.casefold()
    if "newsletter" in low and _nwords(t) <= L.newsletter_max_words and re.search(
            r"\b(our|this|the|unseren?|unsere|den|deinen|ihren|notre|nuestro) (free |kostenlosen? |gratis )?(daily |weekly "
            r"|morning |evening |wöchentlichen? |täglichen? )?\w*newsletters?\b", t, _I) \
            and re.search(r"\b(sign|subscribe|get|receive|join|melde|anmelden|abonnier\w*|bestell\w*|registrier\w*|schau"
                          r"\w*|inscri\w*|suscr\w*)\b", t, _I):
        return _Verdict("newsletter or social prompt")
    if low.endswith("newsletter") and _nwords(t) <= L.newsletter_heading_max_words and not _TERMINAL.search(t):
        return _Verdict("newsletter or social prompt")
    return None


def _r_related(c: _Ctx) -> _Verdict | None:
    t = c.unit.text
    L = c.limits
    if len(t) > L.related_max_chars:
        return None
    b = c.unit.bare
    if len(b) > L.related_bare_max_chars or not _RELATED_HEADING.fullmatch(b):
        return None
    # the list under the heading: headline-like lines, at most a few, never a paragraph of reporting
    k = 0
    while k < L.related_block_units:
        nxt = c.neighbour(k + 1)
        if nxt is None or not _headline_like(nxt.text) or _RELATED_HEADING.fullmatch(nxt.bare):
            break
        k += 1
    # a heading followed only by sentences keeps them (the seed-style "More Trending" inserted mid-article)
    return _Verdict("related-stories block", block=k)


def _r_footer(c: _Ctx) -> _Verdict | None:
    L = c.limits
    if c.from_end > L.footer_last_units or c.index == 0 or len(c.unit.text) > L.footer_max_chars:
        return None
    t = c.unit.text
    if not _FOOTER_HINT.search(t) or _QUOTE.search(t) or _nwords(t) > L.footer_max_words:
        return None
    if any(p.search(t) for p in _FOOTER):
        return _Verdict("newsroom footer")
    if _EMAIL.search(t) and re.search(r"\b(us|our|we)\b", t, _I) and _nwords(t) <= L.footer_email_max_words:
        return _Verdict("newsroom footer")
    return None


def _time_line(t: str) -> bool:
    words = [w.casefold().strip(".,") for w in re.split(r"[\s|•·,/–—-]+", t) if w.strip(".,|•·")]
    if not words or len(words) > LIMITS.time_line_max_words:
        return False
    has_anchor = False  # a month, a clock time or a word like "ago": bare numbers alone may be a phone number
    for w in words:
        if re.fullmatch(r"\d{1,2}[:.]\d{2}(am|pm)?|\d{1,2}\.\d{1,2}\.(\d{2}|\d{4})", w):  # 19:49, 14.02.2019
            has_anchor = True
            continue
        if re.fullmatch(r"\d+(st|nd|rd|th)?|\d+(\.\d+)?[km]?|\d{4}|\d+[smhdwy]", w):
            continue
        if w in _TIME_WORDS:
            has_anchor = has_anchor or w in _MONTHS or w in ("ago", "yesterday", "today", "updated", "published")
            continue
        return False
    return has_anchor


def _r_timestamp(c: _Ctx) -> _Verdict | None:
    t = c.unit.text
    L = c.limits
    if len(t) > L.timestamp_max_chars:
        return None
    if (c.index <= L.timestamp_top_units or c.from_end <= L.timestamp_bottom_units) and (
            _time_line(t) or (_RELATIVE_TIME.search(t) and _nwords(t) <= L.relative_time_max_words
                                                                 and _time_line(_RELATIVE_TIME.sub(" 0 ", t)))):
        return _Verdict("timestamp or view counter")
    return None


def _r_filing(c: _Ctx) -> _Verdict | None:
    """Category / tag lines, ad and affiliate disclosures, support and paywall prompts, consent placeholders."""
    t = c.unit.text
    L = c.limits
    if len(t) > L.filing_max_chars or _QUOTE.search(t):
        return None
    n = _nwords(t)
    if n <= L.category_max_words and _CATEGORY_LINE.search(t):
        return _Verdict("category or tag line")
    if n <= L.filing_long_max_words and _DISCLOSURE.search(t):
        return _Verdict("advertising or affiliate disclosure")
    if n <= L.filing_long_max_words and _SUPPORT_PROMPT.search(t):
        return _Verdict("support or paywall prompt")
    if n <= L.filing_long_max_words and _EMBED_PLACEHOLDER.search(t):
        return _Verdict("embedded content placeholder")
    if n <= L.copyright_credit_max_words and len(t) <= L.copyright_credit_max_chars and _COPYRIGHT_CREDIT.search(t) and not _is_sentence(t.split("©")[0] + "."):
        return _Verdict("photo credit", caption=t)
    if n <= L.filing_long_max_words and len(t) <= L.copyright_caption_max_chars and "©" in t and _COPYRIGHT_CREDIT.search(t) and not t.rstrip().endswith((".", "!", "?")):
        return _Verdict("photo caption (ends with a picture credit)", caption=t)
    return None


def _r_contact(c: _Ctx) -> _Verdict | None:
    """A phone / e-mail line in the bottom of the text (a press release's contact block)."""
    t = c.unit.text
    L = c.limits
    if len(t) > L.contact_max_chars or _nwords(t) > L.contact_max_words or c.index < len(c.units) * L.contact_low_share:
        return None
    if _CONTACT_LINE.match(t):
        return _Verdict("contact details")
    return None


def _r_byline(c: _Ctx) -> _Verdict | None:
    t = c.unit.text
    L = c.limits
    if c.index <= L.byline_top_units and len(t) <= L.byline_max_chars and _nwords(t) <= L.byline_max_words and _BYLINE.match(t) \
            and not _is_sentence(t):
        return _Verdict("byline")
    return None


# rules that look at the unit alone: their verdict cannot change between passes
_TEXT_RULES: tuple[Rule, ...] = (
    _r_comment_form,
    _r_shortcode,
    _r_ad,
    _r_caption,
    _r_credit,
    _r_read_more,
    _r_page_control,
    _r_prompt,
    _r_filing,
)
# rules that also look at position or neighbours: re-asked after every pass until nothing changes
_CONTEXT_RULES: tuple[Rule, ...] = (
    _r_title,
    _r_credit_before_caption,
    _r_comment,
    _r_related,
    _r_footer,
    _r_timestamp,
    _r_byline,
    _r_contact,
)

# ---------------------------------------------------------------- driver


def _strip_inline_shortcodes(unit: Unit, text: str, removals: list[Removal]) -> None:
    """Remove ``[caption ...]`` / ``[/caption]`` tags inside a paragraph that is otherwise kept.

    Tags are found in the unit's text (its kept segments joined by spaces), so a tag that spans
    the segments of a hard-wrapped paragraph is found too. Stripping repeats until no tag is
    left, since removing one tag can bring another within reach, and the second cleaning pass
    must find none.
    """
    done: list[tuple[int, int]] = []  # ranges already logged, so a later (outer) tag logs only the rest
    while True:
        joined, starts = _joined_segments(unit.segments, text)
        matches = list(_SHORTCODE.finditer(joined))
        if not matches:
            return
        cuts = [(_raw_offset(m.start(), unit.segments, starts), _raw_offset(m.end() - 1, unit.segments, starts) + 1)
                for m in matches]
        for a, b in cuts:
            for x, y in sorted(done):
                if x >= b:
                    break
                if y > a and x > a:
                    removals.append(Removal(a, x, text[a:x], "WordPress [caption] shortcode"))
                a = max(a, y)
            if a < b:
                removals.append(Removal(a, b, text[a:b], "WordPress [caption] shortcode"))
        done += cuts
        _keep_outside(unit, sorted(cuts), text)


def _keep_outside(unit: Unit, cuts: Sequence[tuple[int, int]], text: str) -> None:
    """Strip the ``cuts`` (sorted input ranges) from the unit's segments and rebuild its text."""
    kept: list[tuple[int, int]] = []
    for s, e in unit.segments:
        pos = s
        for a, b in cuts:
            if b <= pos or a >= e:
                continue
            if a > pos:
                kept.append((pos, a))
            pos = max(pos, b)
        if pos < e:
            kept.append((pos, e))
    unit.segments = [(s, e) for s, e in kept if text[s:e].strip()]
    unit.text = " ".join(" ".join(text[s:e] for s, e in unit.segments).split())
    unit._bare = None


def _joined_segments(segments: list[tuple[int, int]], text: str) -> tuple[str, list[int]]:
    """The segments' texts joined by single spaces, and where each segment starts in that string."""
    starts, pos = [], 0
    for s, e in segments:
        starts.append(pos)
        pos += e - s + 1
    return " ".join(text[s:e] for s, e in segments), starts


def _raw_offset(pos: int, segments: list[tuple[int, int]], starts: list[int]) -> int:
    """Offset into the raw text of position ``pos`` (a non-space character) of the joined segments."""
    k = bisect_right(starts, pos) - 1
    return segments[k][0] + pos - starts[k]


def _remove(unit: Unit, text: str, reason: str, removals: list[Removal]) -> None:
    for s, e in unit.segments:
        if e > s:
            removals.append(Removal(s, e, text[s:e], reason))


def _pair_credits(found: list[tuple[int, int, str, bool]], text: str) -> list[str]:
    """Attach a credit line ("EPA") to the caption right next to it: "caption (EPA)"."""
    out: list[str] = []
    i = 0
    while i < len(found):
        s, e, cap, is_credit = found[i]
        if i + 1 < len(found):
            s2, e2, cap2, is_credit2 = found[i + 1]
            if is_credit != is_credit2 and not text[e:s2].strip():
                caption, credit = (cap2, cap) if is_credit else (cap, cap2)
                out.append(f"{caption} ({credit.strip('()')})")
                i += 2
                continue
        out.append(cap)
        i += 1
    return out


def clean_text(
    text: str,
    *,
    title: str | None = None,
    known_captions: Iterable[str] = (),
    limits: JunkLimits = LIMITS,
) -> tuple[str, tuple[Removal, ...], tuple[str, ...]]:
    """Clean extracted or plain article text (``limits``: the rules' size and position limits).

    Returns ``(clean_text, removals, captions)``: the kept units joined by blank lines; every
    removed span with offsets into ``text`` and its reason; captions and credits found in the
    body. (An outlet's learned boilerplate is dropped afterwards from the kept units, by
    ``drop_kept_units``: the rules here depend on the text alone.) ``title`` drops a repeat of the
    headline at the top; ``known_captions`` (from the page markup) drops body lines that repeat
    a figure caption.
    """
    units = split_units(text)
    removals: list[Removal] = []
    captions: list[tuple[int, int, str, bool]] = []  # (start, end, text, is_credit)
    title_norm = normalize_line(title) if title else ""
    caption_norms = {normalize_line(c) for c in known_captions if c and c.strip()}

    for u in units:
        if _SHORTCODE.search(u.text) and not _CAPTION_END.search(u.text) and _SHORTCODE.sub("", u.text).strip():
            _strip_inline_shortcodes(u, text, removals)
    units = [u for u in units if u.text]  # nothing but tags (already logged as removals)

    for n_pass in range(len(units) + 1):  # each pass removes at least one unit or stops
        first = n_pass == 0
        rules = _CONTEXT_RULES + _TEXT_RULES if first else _CONTEXT_RULES
        decided: dict[int, _Verdict] = {}
        for i, u in enumerate(units):
            if i in decided:
                continue
            verdict = None
            if first and caption_norms and normalize_line(u.text) in caption_norms:
                verdict = _Verdict("photo caption (from the page's figure caption)", caption=u.text)
            if verdict is None:
                ctx = _Ctx(units, i, title_norm, limits)
                for rule in rules:
                    verdict = rule(ctx)
                    if verdict is not None:
                        break
            if verdict is None:
                continue
            decided[i] = verdict
            follow = range(i + 1, len(units)) if verdict.through_end else range(i + 1, min(len(units), i + 1 + verdict.block))
            for j in follow:
                decided.setdefault(j, _Verdict(verdict.reason))
        if not decided:
            break
        for i, v in decided.items():
            _remove(units[i], text, v.reason, removals)
            if v.caption:
                captions.append((units[i].start, units[i].end, v.caption, v.reason == "photo credit"))
        units = [u for i, u in enumerate(units) if i not in decided]

    removals.sort(key=lambda r: (r.start, r.end))
    seen: set[str] = set()
    caption_list = []
    for cap in _pair_credits(sorted(captions), text):
        key = normalize_line(cap)
        if key not in seen:
            seen.add(key)
            caption_list.append(cap)
    clean = "\n\n".join(u.text for u in units)
    return clean, tuple(removals), tuple(caption_list)


def kept_units(text: str, removals: Sequence[Removal]) -> list[Unit]:
    """The units ``clean_text`` kept from ``text``, rebuilt from its removal log.

    Each unit of ``text`` keeps the segments no removal covers; a unit partly stripped (an
    inline shortcode) has its text rebuilt the way ``_strip_inline_shortcodes`` does.
    """
    cuts = sorted((r.start, r.end) for r in removals)
    out: list[Unit] = []
    for u in split_units(text):
        if any(a < u.end and b > u.start for a, b in cuts):
            _keep_outside(u, cuts, text)
        if u.segments:
            out.append(u)
    return out


def drop_kept_units(text: str, clean: str, removals: Sequence[Removal],
                    reason_to_drop: Callable[[str], str | None]) -> tuple[str, tuple[Removal, ...]] | None:
    """Drop kept units of an already cleaned text, without cleaning it again.

    ``text`` is the input ``clean_text`` was given, ``clean`` and ``removals`` what it returned;
    ``reason_to_drop(unit_text)`` gives the reason a unit goes (None: it stays). Returns the new
    clean text and removal log (offsets into ``text``), or None when the log does not rebuild
    ``clean`` (an article cleaned by another version): the caller then cleans ``text`` again.
    """
    units = kept_units(text, removals)
    if "\n\n".join(u.text for u in units) != clean:
        return None
    added: list[Removal] = []
    kept = []
    for u in units:
        reason = reason_to_drop(u.text)
        if reason is None:
            kept.append(u)
        else:
            _remove(u, text, reason, added)
    if not added:
        return clean, tuple(removals)
    return "\n\n".join(u.text for u in kept), tuple(sorted((*removals, *added), key=lambda r: (r.start, r.end)))
