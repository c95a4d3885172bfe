"""Names across scripts: one key for a name written in Cyrillic, Greek or accented Latin."""

from __future__ import annotations

from samestory.text.translit import name_keys, to_latin


def test_cyrillic_greek_and_accents_come_out_in_latin_letters():
    assert to_latin("Лукашенко") == "lukashenko"
    assert to_latin("Навальный") == "navalnyi"
    assert to_latin("Τσίπρας") == "tsipras"
    assert to_latin("Kołyszko") == "kolyszko"
    assert to_latin("Erdoğan") == "erdogan"
    assert to_latin("习近平") == "习近平"  # no letter table for Chinese: kept as it is


def test_one_name_in_two_scripts_and_inflections_share_a_key():
    ru = name_keys("Встреча в Минске", "Президент Лукашенко встретился с Путиным в Минске 12 мая 2021 года.")
    en = name_keys("Meeting in Minsk", "President Lukashenko met Vladimir Putin in Minsk on May 12, 2021.")
    assert {"lukas", "putin", "minsk", "#12", "#2021"} <= ru & en


def test_sentence_starts_short_words_and_uncased_scripts_give_no_key():
    keys = name_keys("Storm", "The storm hit. Officials said the EU and Mr Ng were told. 据报道 2020 年")
    assert "the" not in keys and "offic" not in keys  # capitalised because they start a sentence
    assert "storm" not in keys  # the headline's first word
    assert "ng" not in keys and "eu" not in keys  # fewer than three letters
    assert keys == {"#2020"}
