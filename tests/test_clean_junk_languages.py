"""Page furniture on German, French and Spanish pages is removed and logged; reporting around it stays.

Every line here is written for the test (no third-party text)."""

from __future__ import annotations

import pytest

from samestory.clean import clean_text
from samestory.ingest._common import binary_reason, decode_html

PARA = [
    "Der Gemeinderat von Flussstadt hat am Dienstag beschlossen, die alte Hafenbrücke bis zum Frühjahr zu sperren.",
    "Autofahrer müssen den nördlichen Ring nehmen, was im Berufsverkehr etwa zwölf Minuten mehr kostet.",
    "Die Ladenbesitzer an der Brücke fürchten, in den umsatzstärksten Wochen des Jahres Kunden zu verlieren.",
    "Der Bürgermeister sagte, die Stadt prüfe eine Hilfe für die betroffenen Geschäfte.",
]


def run(junk: str, where: str = "middle") -> tuple[str, list[str]]:
    lines = list(PARA)
    pos = {"top": 0, "middle": 2, "bottom": len(lines)}[where]
    lines.insert(pos, junk)
    text, removed, _captions = clean_text("\n\n".join(lines))
    return text, [r.reason for r in removed]


@pytest.mark.parametrize("junk, where", [
    ("Lesen Sie auch: Neue Busse für die Innenstadt", "middle"),
    ("Auch lesen: So sparen Sie Energie im Winter", "middle"),
    ("Weitere Artikel zum Thema", "bottom"),
    ("Das könnte Sie auch interessieren:", "bottom"),
    ("Keine Kommentare", "bottom"),
    ("Kommentare insgesamt: 0", "bottom"),
    ("Sie sind aktuell nicht eingeloggt.", "bottom"),
    ("Foto: Erika Muster/dpa", "middle"),
    ("Titelbild: Max Beispiel", "top"),
    ("Crédits photos : Agence Exemple", "middle"),
    ("Kategorie: Lokales", "top"),
    ("*Werbung. Dieser Beitrag enthält Werbung für eine Beispielmarke.", "top"),
    ("Klicken Sie auf den Button, um den Inhalt von www.karten.example zu laden.", "middle"),
    ("Letzte Änderung 14.02.2019", "bottom"),
    ("Telefon: +49 40 1234 5678", "bottom"),
    ("Mit Plus weiterlesen", "bottom"),
    ("Pour lire la suite", "bottom"),
    ("LE PUEDE INTERESAR: La nueva línea de autobuses", "middle"),
    ("Contenido Relacionado", "bottom"),
    ("Inhaltsverzeichnis", "top"),
    ("Dein Browser ist leider veraltet.", "top"),
    ("Unterstützen Sie unseren Journalismus mit 5 Euro im Monat!", "bottom"),
    ("Lust auf mehr? Melde dich hier für unseren Newsletter an!", "bottom"),
])
def test_furniture_is_removed_and_logged(junk, where):
    text, reasons = run(junk, where)
    assert junk not in text
    assert reasons  # logged with a reason
    for p in PARA:
        assert p in text


@pytest.mark.parametrize("line", [
    # reporting that shares words with furniture
    "Support for the bridge closure rose to 60 percent in the council's survey.",
    "Der Kommentar des Bürgermeisters fiel deutlich aus: Die Brücke sei nicht mehr sicher.",
    "Weitere Tipps für Autofahrer gibt die Stadt auf ihrer Internetseite.",
    "Die Kategorie der betroffenen Straßen reicht von Anliegerstraßen bis zu Hauptverkehrsachsen.",
    "Am 14.02.2019 hatte der Rat zum ersten Mal über die Sperrung beraten, damals ohne Ergebnis.",
])
def test_reporting_is_kept(line):
    text, _ = run(line, "middle")
    assert line in text


def test_cleaning_stays_idempotent_on_german_furniture():
    lines = PARA[:2] + ["Lesen Sie auch: Neue Busse", "Foto: Erika Muster/dpa"] + PARA[2:] + ["Keine Kommentare"]
    once = clean_text("\n\n".join(lines))[0]
    assert clean_text(once)[0] == once


def test_a_few_stray_nul_bytes_do_not_make_a_page_binary():
    page = b"<html><body>" + b"<p>" + b"Ein Satz ueber die Bruecke. " * 200 + b"</p>" + b"\x00" * 3 + b"</body></html>"
    assert binary_reason(page) is None
    text, _how = decode_html(page, "p.html")
    assert "\x00" not in text
    assert binary_reason(b"<p>x</p>\x00\x00" * 300) is not None  # many NULs: binary
