"""Junk removal on text written for these tests (fictional outlets and events)."""

from __future__ import annotations

import re

import pytest

from samestory.clean import clean_text

REPORT = [
    "The Harbour Board voted on Tuesday to delay the opening of the new ferry terminal until the autumn.",
    "Board chair Mara Vell said the contractor had found cracks in two of the concrete piers during routine tests.",
    "The terminal was due to open in May and has cost 41 million pounds so far, according to the board's accounts.",
]


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p]


def check_log(raw: str, removals) -> None:
    """Every removal is a span of the input with its text and a reason; spans do not overlap."""
    last = -1
    for r in removals:
        assert 0 <= r.start < r.end <= len(raw)
        assert raw[r.start : r.end] == r.text
        assert r.reason
        assert r.start >= last
        last = r.end


def test_aggregator_junk_lines_are_removed_and_reporting_kept():
    raw = "\n".join([
        "3 hours ago 12",
        "ARTICLE AD BOX",
        "",
        REPORT[0],
        "",
        "REUTERS",
        "Workers inspect a pier at the harbour on Monday[/caption]",
        "Advertisement",
        REPORT[1],
        "",
        REPORT[2],
        "",
        "Read Entire Article",
    ])
    clean, removals, captions = clean_text(raw)
    assert paragraphs(clean) == REPORT
    check_log(raw, removals)
    reasons = {r.text: r.reason for r in removals}
    assert reasons["3 hours ago 12"] == "timestamp or view counter"
    assert reasons["ARTICLE AD BOX"] == "ad slot"
    assert reasons["Advertisement"] == "ad slot"
    assert reasons["REUTERS"] == "photo credit"
    assert "caption" in reasons["Workers inspect a pier at the harbour on Monday[/caption]"]
    assert reasons["Read Entire Article"] == "read-more link"
    # the caption is kept as metadata with its credit, without the shortcode
    assert captions == ("Workers inspect a pier at the harbour on Monday (REUTERS)",)


def test_caption_lines_with_picture_credits_become_captions():
    raw = "\n\n".join([
        REPORT[0],
        "Mara Vell at the harbour on Tuesday (Picture: Harbour Board/PA)",
        REPORT[1],
        "The damaged pier seen from the water. Photograph: Jon Eld/Getty Images",
        "Pictured: the terminal building under construction last year",
        REPORT[2],
    ])
    clean, removals, captions = clean_text(raw)
    assert paragraphs(clean) == REPORT
    assert len(captions) == 3
    assert all("caption" in r.reason for r in removals)


def test_comment_form_newsletter_related_block_and_footer():
    raw = "\n\n".join([
        REPORT[0],
        "Sign up to our free morning newsletter to get the harbour news in your inbox.",
        REPORT[1],
        "More Trending",
        "Council rejects plan for second bridge",
        "Ferry fares to rise by 5% next year",
        REPORT[2],
        "Got a story? Get in touch with our news desk by emailing tips@example-gazette.test.",
        "For more stories like this, visit our harbour news page.",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Name *",
        "Email *",
    ])
    clean, removals, _ = clean_text(raw)
    assert paragraphs(clean) == REPORT
    check_log(raw, removals)
    by_reason: dict[str, list[str]] = {}
    for r in removals:
        by_reason.setdefault(r.reason, []).append(r.text)
    assert by_reason["newsletter or social prompt"] == [
        "Sign up to our free morning newsletter to get the harbour news in your inbox."]
    assert len(by_reason["related-stories block"]) == 3  # the heading and both link titles
    assert len(by_reason["newsroom footer"]) == 2
    assert by_reason["comment section"][0] == "Leave a Reply"


def test_related_heading_does_not_eat_the_reporting_after_it():
    # an aggregator drops a "More Trending" heading mid-article, directly before a paragraph
    raw = "\n\n".join([REPORT[0], "More Trending", "Read More Stories", REPORT[1], REPORT[2]])
    clean, removals, _ = clean_text(raw)
    assert paragraphs(clean) == REPORT
    assert [r.text for r in removals] == ["More Trending", "Read More Stories"]


@pytest.mark.parametrize(
    "last",
    [
        # last paragraphs that merely look like footers: real reporting, kept
        "Anyone with information about the damage is asked to contact the Harbour Board by email or phone.",
        "The board said it would write to every ferry operator this week, and a public meeting is planned for June.",
        "\"Get in touch with our team if you see anything odd on the piers,\" the harbour master told residents.",
        "For more than 40 years the old terminal served the island, and it will stay open until the new one is ready.",
        "Readers of the Gazette raised 12,000 pounds for the lifeboat crew last year, the charity said.",
    ],
)
def test_footer_looking_last_paragraph_is_kept(last):
    raw = "\n\n".join(REPORT + [last])
    clean, removals, _ = clean_text(raw)
    assert removals == ()
    assert paragraphs(clean)[-1] == last


def test_reporting_with_furniture_words_is_kept():
    kept = [
        "Following the vote, the board asked engineers to report back by the end of the month.",
        "Subscribers to the ferry season ticket will get a refund, the operator said in an email on Tuesday.",
        "By Tuesday evening, more than 300 people had signed a petition against the delay.",
        "The Associated Press reported that similar cracks were found at two other ports.",
        "Comments made by the contractor at the meeting were later withdrawn.",
        "March 2023 was the last time the board met in public.",
    ]
    raw = "\n\n".join(REPORT[:1] + kept + REPORT[1:])
    clean, removals, _ = clean_text(raw)
    assert removals == ()
    assert paragraphs(clean) == REPORT[:1] + kept + REPORT[1:]


def test_title_repeated_at_top_and_byline_are_removed():
    title = "Harbour Board delays ferry terminal opening"
    raw = "\n\n".join([title, "By Mara Quill", REPORT[0], REPORT[1]])
    clean, removals, _ = clean_text(raw, title=title)
    assert paragraphs(clean) == REPORT[:2]
    assert [r.reason for r in removals] == ["title repeated in the body", "byline"]


def test_inline_shortcode_inside_a_paragraph_is_stripped_not_the_paragraph():
    raw = REPORT[0] + '\n\n[caption id="attachment_7" align="alignnone"]' + REPORT[1] + "\n\n" + REPORT[2]
    clean, removals, _ = clean_text(raw)
    assert paragraphs(clean) == REPORT
    assert [r.text for r in removals] == ['[caption id="attachment_7" align="alignnone"]']
    check_log(raw, removals)


WRAPPED_REPORT = (
    "The Harbour Board voted on Tuesday to delay the opening of the\n"
    "new ferry terminal until the autumn, after engineers reported\n"
    "cracks in two of the concrete piers during routine tests.\n"
)


def test_caption_shortcode_hard_wrapped_over_three_lines_is_stripped_once():
    tag = ('[caption id="attachment_31" align="aligncenter" width="640"\n'
           '    class="harbour-photo wide" title="The ferry terminal seen\n'
           '    from the north pier at low tide"]')
    raw = WRAPPED_REPORT + "\n" + tag + " Board chair Mara Vell said the contractor\n" \
        "would pay for the repairs, and that no ferry service would be cut\n" \
        "in the meantime while the work goes on through the summer.\n"
    clean, removals, _ = clean_text(raw)
    ps = paragraphs(clean)
    assert len(ps) == 2
    assert ps[1].startswith("Board chair Mara Vell said") and "caption" not in clean
    assert [r.text for r in removals] == [tag]  # one removal, spanning the line breaks
    check_log(raw, removals)
    assert clean_text(clean) == (clean, (), ())  # idempotent: nothing left to strip


@pytest.mark.parametrize("between", ["\n", "\r\n", "\n   "])
def test_caption_tag_wrapped_over_short_lines_is_one_unit(between):
    # not hard-wrapped text (short lines): the lines the tag spans still go together
    raw = "\n".join([REPORT[0], f'[caption id="attachment_8"{between}width="300"]', REPORT[1], REPORT[2]])
    clean, removals, _ = clean_text(raw)
    assert paragraphs(clean) == REPORT
    # a removed unit is logged per line it spans
    assert [r.text for r in removals] == ['[caption id="attachment_8"', 'width="300"]']
    assert {r.reason for r in removals} == {"WordPress [caption] shortcode"}
    check_log(raw, removals)
    assert clean_text(clean)[0] == clean


def test_stray_caption_bracket_does_not_eat_the_article():
    # a "[caption" with no "]" within the length cap is left alone, along with the text after it
    body = " ".join(REPORT * 3)
    raw = "[caption " + body + "]"
    clean, removals, _ = clean_text(raw)
    assert removals == () and clean == raw


def test_nested_caption_tags_are_stripped_in_one_pass():
    # removing the inner tag brings the outer one within the cap; both go in the first pass
    raw = "[caption " + "x " * 250 + '[caption id="9"' + " y" * 200 + "] tail] " + REPORT[0]
    clean, removals, _ = clean_text(raw)
    assert clean == REPORT[0]
    check_log(raw, removals)  # the outer tag is logged around the inner one: no overlap
    assert "".join(r.text for r in removals) == raw[: raw.index("] tail]") + len("] tail]")]
    assert clean_text(clean) == (clean, (), ())


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = (
        "The Harbour Board voted on Tuesday to delay the opening of the\n"
        "new ferry terminal until the autumn, after engineers reported\n"
        "cracks in two of the concrete piers during routine tests.\n"
        "\n"
        "Board chair Mara Vell said the contractor would pay for the\n"
        "repairs, and that no ferry service would be cut in the meantime\n"
        "while the work goes on through the summer months.\n"
        "\n"
        "Advertisement\n"
    )
    clean, removals, _ = clean_text(wrapped)
    ps = paragraphs(clean)
    assert len(ps) == 2
    assert ps[0].startswith("The Harbour Board") and ps[0].endswith("routine tests.")
    assert "\n" not in ps[0]
    assert [r.reason for r in removals] == ["ad slot"]


def test_clean_text_leaves_no_junk_line_patterns():
    raw = "\n".join([
        "Share", "Facebook", "Twitter", "Email",
        REPORT[0], "Story continues below advertisement", REPORT[1],
        "Follow us on Twitter for the latest harbour updates", REPORT[2],
        "© 2024 Example Gazette. All rights reserved.",
    ])
    clean, removals, _ = clean_text(raw)
    assert paragraphs(clean) == REPORT
    assert not re.search(r"(?im)^(share|facebook|twitter|email)$", clean)
    reasons = {r.text: r.reason for r in removals}
    assert reasons["Story continues below advertisement"] == "ad slot"
    assert reasons["Follow us on Twitter for the latest harbour updates"] == "newsletter or social prompt"
    assert reasons["© 2024 Example Gazette. All rights reserved."] == "newsroom footer"
    assert {reasons[w] for w in ("Share", "Facebook", "Twitter", "Email")} <= {"share buttons", "page control text"}
    check_log(raw, removals)


def test_unknown_credit_line_above_a_caption_shortcode_is_a_credit():
    raw = "\n".join([
        REPORT[0],
        "Gullwing Pictures",
        "Divers check the piers at low tide[/caption]",
        "Harbour Board/Handout",
        "The terminal site from the air[/caption]",
        REPORT[1],
        "Low tide",  # a short line that is not above a caption stays
        REPORT[2],
    ])
    clean, removals, captions = clean_text(raw)
    assert paragraphs(clean) == [REPORT[0], REPORT[1], "Low tide", REPORT[2]]
    assert captions == ("Divers check the piers at low tide (Gullwing Pictures)",
                        "The terminal site from the air (Harbour Board/Handout)")


def test_javascript_notice_is_page_furniture():
    raw = "\n\n".join([REPORT[0], "Please enable JavaScript to read this page.", REPORT[1]])
    clean, removals, _ = clean_text(raw)
    assert paragraphs(clean) == REPORT[:2]
    assert [r.reason for r in removals] == ["page control text"]
