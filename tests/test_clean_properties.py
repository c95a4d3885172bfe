"""Property tests for cleaning: idempotence, removal spans inside the input, nothing lost silently."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samestory.clean import BoilerplateMiner, clean_text
from samestory.clean.junk import drop_kept_units

FURNITURE = [
    "Advertisement", "ARTICLE AD BOX", "Read Entire Article", "Read more", "EPA", "AP", "Getty Images",
    "(Picture: Example Agency)", "A crowd at the quay on Monday[/caption]", '[caption id="x1" align="alignnone"]',
    "[/caption]", "Leave a Reply", "Your email address will not be published. Required fields are marked *",
    "Name *", "Email *", "More Trending", "Read More Stories", "Related stories", "Share", "Twitter",
    "Sign up to our newsletter for the latest updates in your inbox", "5 hours ago 3", "Updated 10:42 GMT",
    "Get in touch with our news team by emailing us at desk@example.test.",
    "For more stories like this, check our news page.", "Comments", "By Ana Pell", "Photo: Example/Agency",
]
SENTENCES = [
    "The council approved the budget on Monday after a three-hour debate.",
    "Residents said the new bus route would cut their journey to the hospital by half.",
    "Police said two men had been arrested and released on bail pending further inquiries.",
    "The company reported a loss of 3.2 million euros for the quarter.",
    '"We did not expect this many people," the organiser said.',
    "Short line",
]
free_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=60
)
line = st.one_of(st.sampled_from(FURNITURE), st.sampled_from(SENTENCES), free_text)
separator = st.sampled_from(["\n", "\n\n", "\r\n", "\n \n", "\n\n\n", "\r", "\u2028"])


@st.composite
def documents(draw):
    lines = draw(st.lists(line, min_size=0, max_size=25))
    out = ""
    for ln in lines:
        out += ln + draw(separator)
    return out


def non_ws(s: str) -> int:
    return sum(1 for ch in s if not ch.isspace())


def check(raw: str, **kw) -> None:
    clean, removals, captions = clean_text(raw, **kw)
    # every removal is a span of the input, with its text and a reason, in order, not overlapping
    end = 0
    for r in removals:
        assert 0 <= r.start < r.end <= len(raw)
        assert raw[r.start : r.end] == r.text
        assert r.reason
        assert r.start >= end
        end = r.end
    # nothing disappears without a log entry: kept + removed characters account for the input
    assert non_ws(clean) + sum(non_ws(r.text) for r in removals) == non_ws(raw)
    # idempotent: cleaning the clean text finds nothing more to remove
    again, removals2, _ = clean_text(clean, **kw)
    assert again == clean
    assert removals2 == ()
    assert all(isinstance(c, str) and c for c in captions)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_spans_and_idempotence(raw):
    check(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(["", "Harbour news today", "Short line"]))
def test_idempotence_with_title(raw, title):
    check(raw, title=title or None)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(), min_size=3, max_size=6), documents())
def test_learned_boilerplate_drops_kept_units_without_cleaning_again(history, raw):
    """The boilerplate stage rebuilds the clean stage's units from its removal log (never None
    for a log this version wrote) and drops the learned ones: spans stay exact, nothing is lost
    silently, and the result is what the clean stage's units minus the learned lines give."""
    miner = BoilerplateMiner(min_articles=2, min_share=0.3)
    for i, doc in enumerate(history):
        miner.observe("Example Gazette", doc.splitlines(), doc_key=str(i))
    clean, removals, _ = clean_text(raw)

    def learned(line: str) -> str | None:
        return "repeated boilerplate" if miner.is_boilerplate("Example Gazette", line) else None

    dropped = drop_kept_units(raw, clean, removals, learned)
    assert dropped is not None
    text, log = dropped
    end = 0
    for r in log:
        assert raw[r.start : r.end] == r.text and r.start >= end
        end = r.end
    assert non_ws(text) + sum(non_ws(r.text) for r in log) == non_ws(raw)
    assert all(not learned(u) for u in text.split("\n\n") if u)
    assert set(text.split("\n\n")) - {""} <= set(clean.split("\n\n"))



# [caption] tags in paragraphs wrapped at a fixed width, so tags span line breaks (the hard-wrap
# path joins a paragraph's lines into one unit) and in short lines; tags nested, unclosed, long
WORDS = ["the", "harbour", "board", "met", "on", "tuesday", "engineers", "piers", "ferry", "terminal", "said", "repairs"]
TAG_WORDS = ["[caption", 'id="attachment_4"', 'align="alignnone"', 'width="640"]', "[/caption]", "]", "[caption]",
             "z" * 150, "Advertisement"]


@st.composite
def wrapped_with_tags(draw):
    paragraphs = []
    for _ in range(draw(st.integers(1, 3))):
        words = draw(st.lists(st.sampled_from(WORDS + TAG_WORDS), min_size=1, max_size=60))
        width = draw(st.integers(20, 90))
        lines, current = [], ""
        for w in words:
            if current and len(current) + 1 + len(w) > width:
                lines.append(current)
                current = w
            else:
                current = f"{current} {w}" if current else w
        lines.append(current)
        paragraphs.append(draw(st.sampled_from(["\n", "\r\n", "\n  "])).join(lines))
    return "\n\n".join(paragraphs)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wrapped_with_tags())
def test_spans_and_idempotence_with_wrapped_caption_tags(raw):
    check(raw)
