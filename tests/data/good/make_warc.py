"""Build tests/data/good/sample.warc.gz: a small, valid, reproducible WARC written with warcio.

Records, in order (5 in all, one gzip member each):
  1. request   GET https://www.harbourcourier.example/news/2025/03/02/old-library-reopens
  2. response  that page, text/html; charset=utf-8
  3. response  https://eveningstar.example/sport/lowmarsh-half-marathon-record-20250309,
               text/html with no charset in the header (the page declares utf-8 in <meta>)
  4. response  https://www.valegazette.example/local/bakery-wins-regional-award,
               text/html; charset=iso-8859-1, body encoded in latin-1 (é, £, ö)
  5. response  https://img.harbourcourier.example/2025/03/02/library.png, image/png (not an article)

Dates and record ids are fixed, so the output is byte-for-byte the same on every run.
All text is fictional and written for samestory.

    .venv/bin/python tests/data/good/make_warc.py [OUT]   # default: next to this script
"""

from __future__ import annotations

import base64
import sys
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent

LIBRARY_URL = "https://www.harbourcourier.example/news/2025/03/02/old-library-reopens"
MARATHON_URL = "https://eveningstar.example/sport/lowmarsh-half-marathon-record-20250309"
BAKERY_URL = "https://www.valegazette.example/local/bakery-wins-regional-award"
IMAGE_URL = "https://img.harbourcourier.example/2025/03/02/library.png"

LIBRARY_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour's old library reopens after three-year repair | Harbour Courier</title>
<meta property="og:title" content="Harbour's old library reopens after three-year repair">
<meta property="og:site_name" content="Harbour Courier">
<meta property="article:published_time" content="2025-03-02T10:00:00+01:00">
<link rel="canonical" href="{url}">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Harbour's old library reopens after three-year repair</h1>
<p>The old public library on Anchor Street reopened on Saturday after a three-year repair that replaced its leaking roof and restored the reading room's painted ceiling.</p>
<p>More than 600 people queued in the rain for the doors to open at nine o'clock. The first book borrowed was a children's atlas, taken out by a seven-year-old who had been waiting with her grandfather since eight.</p>
<p>"We kept the building standing and gave it a future," said the head librarian, Nadia Colm. "Now it's up to the town to fill it."</p>
<p>The repair cost 4.8 million crowns, most of it from a regional heritage fund. The library will open seven days a week for the first time in its history.</p>
</article>
<footer>© 2025 Harbour Courier. <a href="/contact">Contact us</a></footer>
</body></html>
""".format(url=LIBRARY_URL)

MARATHON_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Course record falls at Lowmarsh half marathon | Northgate Evening Star</title>
<meta property="og:title" content="Course record falls at Lowmarsh half marathon">
<meta property="og:site_name" content="Northgate Evening Star">
<meta property="article:published_time" content="2025-03-09T17:30:00+00:00">
<link rel="canonical" href="{url}">
</head><body>
<header><a href="/">Northgate Evening Star</a></header>
<article>
<h1>Course record falls at Lowmarsh half marathon</h1>
<p>Teodora Vance broke the Lowmarsh half marathon course record on Sunday, finishing in one hour, nine minutes and 41 seconds on a cold, windless morning by the canal.</p>
<p>The 24-year-old pulled away from the leading group at the tenth kilometre and won by almost two minutes. The previous record had stood since 2016.</p>
<p>“I didn’t look at my watch once,” Vance said. “I just ran until the road ran out.”</p>
<p>About 5,400 runners finished the race, which raised money for the city’s hospice.</p>
</article>
<aside><h2>Most read</h2><a href="/x">Northgate bus fares to rise in April</a></aside>
</body></html>
""".format(url=MARATHON_URL)

BAKERY_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="iso-8859-1">
<title>Café bakery wins regional award | Vale Gazette</title>
<meta property="og:title" content="Café bakery wins regional award">
<meta property="og:site_name" content="Vale Gazette">
<meta property="article:published_time" content="2025-03-05T12:00:00+01:00">
<link rel="canonical" href="{url}">
</head><body>
<article>
<h1>Café bakery wins regional award</h1>
<p>The Lomax bakery and café on Quay Road has been named the best independent bakery in the Wendle region, beating 40 other entries.</p>
<p>Judges singled out its rye loaf and a Swedish-style kanelbulle that Pieter Lomax learnt to make from his grandmother, Göta.</p>
<p>The prize comes with £500 of baking equipment and a framed certificate, which now hangs above the counter next to the café's first ever receipt.</p>
</article>
</body></html>
""".format(url=BAKERY_URL)

# A valid 1x1 transparent PNG.
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _record_id(n: int) -> str:
    return f"<urn:uuid:5a3e5d1c-0000-4000-8000-{n:012d}>"


def _response(writer: WARCWriter, n: int, url: str, date: str, body: bytes, content_type: str):
    http_headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        protocol="HTTP/1.1",
    )
    return writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _record_id(n)},
    )


def build(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        request_headers = StatusAndHeaders(
            "GET /news/2025/03/02/old-library-reopens HTTP/1.1",
            [("Host", "www.harbourcourier.example"), ("User-Agent", "samestory-test/0"), ("Accept", "text/html")],
            is_http_request=True,
        )
        writer.write_record(
            writer.create_warc_record(
                LIBRARY_URL,
                "request",
                payload=BytesIO(b""),
                http_headers=request_headers,
                warc_headers_dict={"WARC-Date": "2025-03-02T09:30:00Z", "WARC-Record-ID": _record_id(1)},
            )
        )
        writer.write_record(
            _response(writer, 2, LIBRARY_URL, "2025-03-02T09:30:01Z", LIBRARY_HTML.encode("utf-8"),
                      "text/html; charset=utf-8")
        )
        writer.write_record(
            _response(writer, 3, MARATHON_URL, "2025-03-09T18:00:00Z", MARATHON_HTML.encode("utf-8"), "text/html")
        )
        writer.write_record(
            _response(writer, 4, BAKERY_URL, "2025-03-05T12:10:00Z", BAKERY_HTML.encode("latin-1"),
                      "text/html; charset=iso-8859-1")
        )
        writer.write_record(_response(writer, 5, IMAGE_URL, "2025-03-02T09:30:02Z", PNG_1X1, "image/png"))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "sample.warc.gz"
    print(build(target))
