"""What the ground floor knows of each language besides English: one table per language.

``text.numbers`` reads figures with these (digit grouping, scale words, qualifiers, units),
``text.dates`` day-month phrases, ``text.quotes`` the words that attribute speech (its quotation
marks are the same in every language). English is the default everywhere and has its own, richer rules in those
modules; a language missing here is read with the neutral rules (digits only, no words).

Words are lower case; units map to the English unit names the English reader gives, so a
figure read in one language has the same ``Value.key`` as the same figure in another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Language", "LANGUAGES", "CURRENCY_MARKS", "language_code", "language_of"]


@dataclass(frozen=True)
class Language:
    code: str
    # "." groups thousands and "," is the decimal mark ("1.234,5"), or a space groups them ("1 234,5")
    grouping: str  # "dot" or "space"
    scales: dict[str, float] = field(default_factory=dict)
    percent: tuple[str, ...] = ()
    qualifiers: dict[str, str] = field(default_factory=dict)  # phrase -> min / max / approx
    currencies: dict[str, str] = field(default_factory=dict)  # word -> ISO code
    durations: dict[str, str] = field(default_factory=dict)  # word -> English unit ("years")
    measures: dict[str, str] = field(default_factory=dict)  # word -> English unit
    months: dict[str, int] = field(default_factory=dict)  # month name (and its case forms) -> 1..12
    age_before: tuple[str, ...] = ()  # words before an age ("âgé de 69 ans")
    age_after: tuple[str, ...] = ()  # words after it ("69 Jahre alt", "69-jährige")
    # the verbs (inflected, and the compound past as one phrase: "a déclaré") that attribute
    # direct speech right before or after a quotation ("„...“, sagte Merkel", "— ..., — сказал он")
    speech_verbs: tuple[str, ...] = ()
    # "according to": the name after it is the speaker ("laut Merkel", "selon Macron")
    according_to: tuple[str, ...] = ()


_METRIC = {"km": "km", "kilometer": "km", "kilometern": "km", "kilomètres": "km", "kilómetros": "km",
           "chilometri": "km", "км": "km", "кг": "kg", "т": "tonne", "m": "metre", "kg": "kg", "t": "tonne", "ha": "hectare", "mm": "mm",
           "cm": "cm", "l": "litre"}
CURRENCY_MARKS = {"€": "EUR", "$": "USD", "£": "GBP", "₽": "RUB", "¥": "JPY", "₴": "UAH", "zł": "PLN", "chf": "CHF"}

LANGUAGES: dict[str, Language] = {
    "de": Language(
        "de", "dot",
        scales={"tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "mio.": 1e6, "milliarde": 1e9,
                "milliarden": 1e9, "mrd": 1e9, "mrd.": 1e9, "billion": 1e12, "billionen": 1e12},
        percent=("prozent",),
        qualifiers={"mehr als": "min", "über": "min", "mindestens": "min", "wenigstens": "min", "bis zu": "max",
                    "weniger als": "max", "höchstens": "max", "unter": "max", "rund": "approx", "etwa": "approx",
                    "ungefähr": "approx", "circa": "approx", "ca.": "approx", "knapp": "approx", "fast": "approx",
                    "nahezu": "approx", "annähernd": "approx", "gut": "approx"},
        currencies={"euro": "EUR", "dollar": "USD", "us-dollar": "USD", "pfund": "GBP", "rubel": "RUB",
                    "franken": "CHF", "cent": "cent"},
        durations={"jahre": "years", "jahren": "years", "jahr": "years", "monate": "months", "monaten": "months",
                   "monat": "months", "wochen": "weeks", "woche": "weeks", "tage": "days", "tagen": "days",
                   "tag": "days", "stunden": "hours", "stunde": "hours", "minuten": "minutes"},
        measures=_METRIC,
        months={"januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
                "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12},
        age_after=("jahre alt", "-jährige", "-jähriger", "-jährigen", "-jährig"),
        speech_verbs=("sagte", "sagt", "sagten", "sagen", "erklärte", "erklärt", "betonte", "betont", "meinte", "meint",
                      "fügte", "ergänzte", "ergänzt", "sprach", "spricht", "warnte", "warnt", "kündigte", "versprach",
                      "verspricht", "forderte", "fordert", "schrieb", "schreibt", "teilte", "antwortete", "antwortet",
                      "bestätigte", "bestätigt", "räumte", "kritisierte", "kritisiert", "sagte auch", "hieß es",
                      "so"),
        according_to=("laut", "nach angaben von"),
    ),
    "fr": Language(
        "fr", "space",
        scales={"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9},
        percent=("pour cent", "pourcent"),
        qualifiers={"plus de": "min", "au moins": "min", "jusqu'à": "max", "jusqu’à": "max", "moins de": "max",
                    "environ": "approx", "près de": "approx", "presque": "approx", "quelque": "approx",
                    "quelques": "approx", "autour de": "approx", "quasiment": "approx"},
        currencies={"euros": "EUR", "euro": "EUR", "dollars": "USD", "dollar": "USD", "livres": "GBP",
                    "roubles": "RUB", "francs": "CHF"},
        durations={"ans": "years", "années": "years", "an": "years", "mois": "months", "semaines": "weeks",
                   "jours": "days", "jour": "days", "heures": "hours", "heure": "hours", "minutes": "minutes"},
        measures=_METRIC,
        months={"janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
                "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12},
        age_before=("âgé de", "âgée de", "âgés de", "âgées de"),
        speech_verbs=("a déclaré", "a dit", "a affirmé", "a ajouté", "a expliqué", "a souligné", "a estimé",
                      "a assuré", "a indiqué", "a précisé", "a averti", "a répondu", "a lancé", "a martelé",
                      "a confié", "a écrit", "a tweeté", "déclare", "dit", "affirme", "ajoute", "explique",
                      "souligne", "estime", "assure", "indique", "précise", "avertit", "répond", "lance",
                      "martèle", "confie", "écrit", "déclarait", "disait", "affirmait", "expliquait"),
        according_to=("selon", "d'après", "d’après"),
    ),
    "es": Language(
        "es", "dot",
        scales={"mil": 1e3, "millón": 1e6, "millones": 1e6, "mil millones": 1e9},
        percent=("por ciento",),
        qualifiers={"más de": "min", "al menos": "min", "como mínimo": "min", "hasta": "max", "menos de": "max",
                    "unos": "approx", "unas": "approx", "cerca de": "approx", "casi": "approx",
                    "alrededor de": "approx", "aproximadamente": "approx"},
        currencies={"euros": "EUR", "dólares": "USD", "libras": "GBP", "rublos": "RUB", "pesos": "MXN"},
        durations={"años": "years", "año": "years", "meses": "months", "semanas": "weeks", "días": "days",
                   "horas": "hours", "minutos": "minutes"},
        measures=_METRIC,
        months={"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
                "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12},
        age_after=("años de edad",),
        speech_verbs=("dijo", "dice", "afirmó", "afirma", "declaró", "declara", "añadió", "añade", "explicó",
                      "explica", "aseguró", "asegura", "señaló", "señala", "indicó", "indica", "subrayó",
                      "subraya", "advirtió", "advierte", "respondió", "responde", "sostuvo", "sostiene",
                      "manifestó", "escribió", "ha dicho", "ha afirmado", "ha declarado", "ha señalado",
                      "ha explicado", "ha asegurado", "ha añadido"),
        according_to=("según",),
    ),
    "it": Language(
        "it", "dot",
        scales={"mila": 1e3, "mille": 1e3, "milione": 1e6, "milioni": 1e6, "miliardo": 1e9, "miliardi": 1e9},
        percent=("per cento",),
        qualifiers={"più di": "min", "oltre": "min", "almeno": "min", "fino a": "max", "meno di": "max",
                    "circa": "approx", "quasi": "approx", "intorno a": "approx", "poco meno di": "approx"},
        currencies={"euro": "EUR", "dollari": "USD", "sterline": "GBP", "rubli": "RUB"},
        durations={"anni": "years", "anno": "years", "mesi": "months", "settimane": "weeks", "giorni": "days",
                   "ore": "hours", "minuti": "minutes"},
        measures=_METRIC,
        months={"gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
                "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12},
        speech_verbs=("ha detto", "ha dichiarato", "ha aggiunto", "ha spiegato", "ha affermato", "ha sottolineato",
                      "ha precisato", "ha assicurato", "ha scritto", "ha risposto", "ha avvertito", "dice",
                      "dichiara", "aggiunge", "spiega", "afferma", "sottolinea", "precisa", "assicura", "scrive",
                      "risponde", "disse", "dichiarò", "aggiunse", "spiegò", "affermò"),
        according_to=("secondo",),
    ),
    "pt": Language(
        "pt", "dot",
        scales={"mil": 1e3, "milhão": 1e6, "milhões": 1e6, "bilhão": 1e9, "bilhões": 1e9, "mil milhões": 1e9},
        percent=("por cento",),
        qualifiers={"mais de": "min", "pelo menos": "min", "até": "max", "menos de": "max", "cerca de": "approx",
                    "quase": "approx", "aproximadamente": "approx"},
        currencies={"euros": "EUR", "dólares": "USD", "reais": "BRL", "libras": "GBP"},
        durations={"anos": "years", "ano": "years", "meses": "months", "semanas": "weeks", "dias": "days",
                   "horas": "hours", "minutos": "minutes"},
        measures=_METRIC,
        months={"janeiro": 1, "fevereiro": 2, "março": 3, "abril": 4, "maio": 5, "junho": 6, "julho": 7,
                "agosto": 8, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12},
        speech_verbs=("disse", "diz", "afirmou", "afirma", "declarou", "declara", "acrescentou", "acrescenta",
                      "explicou", "explica", "sublinhou", "garantiu", "garante", "referiu", "respondeu", "escreveu"),
        according_to=("segundo", "de acordo com"),
    ),
    "nl": Language(
        "nl", "dot",
        scales={"duizend": 1e3, "miljoen": 1e6, "miljard": 1e9},
        percent=("procent",),
        qualifiers={"meer dan": "min", "minstens": "min", "ten minste": "min", "tot": "max", "minder dan": "max",
                    "ongeveer": "approx", "bijna": "approx", "circa": "approx", "zo'n": "approx", "rond": "approx"},
        currencies={"euro": "EUR", "dollar": "USD", "pond": "GBP"},
        durations={"jaar": "years", "jaren": "years", "maanden": "months", "weken": "weeks", "dagen": "days",
                   "uur": "hours", "minuten": "minutes"},
        measures=_METRIC,
        months={"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
                "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12},
        speech_verbs=("zei", "zegt", "zeiden", "verklaarde", "verklaart", "stelde", "stelt", "benadrukte",
                      "benadrukt", "voegde", "schreef", "schrijft", "antwoordde", "waarschuwde", "aldus"),
        according_to=("volgens",),
    ),
    "ru": Language(
        "ru", "space",
        scales={"тысяча": 1e3, "тысячи": 1e3, "тысяч": 1e3, "тыс.": 1e3, "тыс": 1e3, "миллион": 1e6,
                "миллиона": 1e6, "миллионов": 1e6, "млн": 1e6, "млн.": 1e6, "миллиард": 1e9, "миллиарда": 1e9,
                "миллиардов": 1e9, "млрд": 1e9, "млрд.": 1e9},
        percent=("процентов", "процента", "процент"),
        qualifiers={"более": "min", "больше": "min", "свыше": "min", "не менее": "min", "как минимум": "min",
                    "до": "max", "не более": "max", "менее": "max", "меньше": "max", "около": "approx",
                    "почти": "approx", "примерно": "approx", "приблизительно": "approx", "порядка": "approx",
                    "почти что": "approx"},
        currencies={"рублей": "RUB", "рубля": "RUB", "рубль": "RUB", "руб.": "RUB", "долларов": "USD",
                    "доллара": "USD", "евро": "EUR", "гривен": "UAH"},
        durations={"лет": "years", "года": "years", "год": "years", "месяцев": "months", "месяца": "months",
                   "недель": "weeks", "недели": "weeks", "дней": "days", "дня": "days", "часов": "hours",
                   "часа": "hours", "минут": "minutes"},
        measures=_METRIC,
        # genitive forms: "12 мая"
        months={"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
                "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12, "январь": 1, "февраль": 2, "март": 3,
                "апрель": 4, "май": 5, "июнь": 6, "июль": 7, "август": 8, "сентябрь": 9, "октябрь": 10,
                "ноябрь": 11, "декабрь": 12},
        age_after=("-летний", "-летняя", "-летнего", "-летней", "-летнему"),
        speech_verbs=("сказал", "сказала", "сказали", "заявил", "заявила", "заявили", "отметил", "отметила",
                      "отметили", "добавил", "добавила", "подчеркнул", "подчеркнула", "сообщил", "сообщила",
                      "сообщили", "пояснил", "пояснила", "говорит", "говорил", "говорила",
                      "заявляет", "отмечает", "подчеркивает", "подчёркивает", "написал", "написала", "ответил",
                      "ответила", "признал", "признала", "уточнил", "уточнила", "предупредил", "предупредила",
                      "считает", "цитирует"),
        according_to=("по словам", "как сообщил", "как заявил", "как сказал"),
    ),
    "uk": Language(
        "uk", "space",
        scales={"тисяча": 1e3, "тисячі": 1e3, "тисяч": 1e3, "тис.": 1e3, "мільйон": 1e6, "мільйони": 1e6,
                "мільйонів": 1e6, "млн": 1e6, "мільярд": 1e9, "мільярди": 1e9, "мільярдів": 1e9, "млрд": 1e9},
        percent=("відсотків", "відсотка", "відсоток"),
        qualifiers={"понад": "min", "більше": "min", "щонайменше": "min", "до": "max", "менше": "max",
                    "близько": "approx", "майже": "approx", "приблизно": "approx"},
        currencies={"гривень": "UAH", "гривні": "UAH", "доларів": "USD", "євро": "EUR"},
        durations={"років": "years", "роки": "years", "рік": "years", "місяців": "months", "днів": "days",
                   "годин": "hours"},
        measures=_METRIC,
        months={"січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7,
                "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12},
        speech_verbs=("сказав", "сказала", "заявив", "заявила", "зазначив", "зазначила", "додав", "додала",
                      "наголосив", "наголосила", "повідомив", "повідомила", "пояснив", "пояснила", "каже",
                      "написав", "написала", "відповів", "відповіла"),
        according_to=("за словами",),
    ),
    "pl": Language(
        "pl", "space",
        scales={"tysiąc": 1e3, "tysiące": 1e3, "tysięcy": 1e3, "tys.": 1e3, "milion": 1e6, "miliony": 1e6,
                "milionów": 1e6, "mln": 1e6, "miliard": 1e9, "miliardy": 1e9, "miliardów": 1e9, "mld": 1e9},
        percent=("procent", "proc."),
        qualifiers={"ponad": "min", "co najmniej": "min", "do": "max", "mniej niż": "max", "około": "approx",
                    "prawie": "approx", "blisko": "approx"},
        currencies={"złotych": "PLN", "zł": "PLN", "euro": "EUR", "dolarów": "USD"},
        durations={"lat": "years", "lata": "years", "rok": "years", "miesięcy": "months", "dni": "days",
                   "godzin": "hours"},
        measures=_METRIC,
        months={"stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7,
                "sierpnia": 8, "września": 9, "października": 10, "listopada": 11, "grudnia": 12},
        speech_verbs=("powiedział", "powiedziała", "powiedzieli", "stwierdził", "stwierdziła", "dodał", "dodała",
                      "podkreślił", "podkreśliła", "zaznaczył", "zaznaczyła", "oświadczył", "oświadczyła",
                      "mówi", "mówił", "mówiła", "wyjaśnił", "wyjaśniła", "napisał", "napisała", "odpowiedział",
                      "odpowiedziała", "przekonywał", "przekonywała", "ostrzegł", "ostrzegła", "zapowiedział",
                      "zapowiedziała", "ocenił", "oceniła"),
        according_to=("według", "zdaniem"),
    ),
}


def language_code(code: str | None) -> str | None:
    """The ISO 639-1 part of a language tag, lower case: "de-AT", "de_DE" and "DE" are all "de"."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base or None


def language_of(code: str | None) -> Language | None:
    """The table for a language tag ("de", "de-AT"), or None for English and unknown ones."""
    base = language_code(code)
    return LANGUAGES.get(base) if base else None
