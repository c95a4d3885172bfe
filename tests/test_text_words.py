from spacy.lang.en.stop_words import STOP_WORDS

from samestory.text import words


def test_each_user_keeps_its_stop_set():
    from samestory.cluster.features import STOP
    from samestory.compare import claims, numbers

    assert claims._STOP == set(STOP_WORDS) | {"said", "says", "say", "told", "according", "also", "just",
                                              "mr", "mrs", "ms"}
    assert STOP == set(STOP_WORDS) | {
        "said", "says", "say", "told", "according", "report", "reported", "reports", "news", "new",
        "year", "years", "day", "days", "time", "week", "people", "including", "like", "just",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "updated",
        "published", "posted", "am", "pm", "et", "gmt", "edt", "est", "pdt", "bst", "story", "article"}
    assert numbers._STOP is words.COUNT_STOP and len(words.COUNT_STOP) == 60
    assert "hundred" in STOP_WORDS and "hundred" not in words.COUNT_STOP  # why it is not spaCy's


def test_the_stop_list_is_read_without_importing_spacy():
    # spaCy's package import pulls in torch (2-3 s): a story page's neutral title needs only the list
    import subprocess
    import sys

    code = ("import sys; from samestory.text.words import ENGLISH_STOP; "
            "print(len(ENGLISH_STOP), 'spacy' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(len(STOP_WORDS)), "False", "False"]
