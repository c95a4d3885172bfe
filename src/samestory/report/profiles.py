"""Outlet profiles: what the user knows about each outlet (leaning, country, owner, type).

samestory does not rate outlets: the user supplies a CSV or JSON file and samestory shows it
(the coverage-balance bar, the blindspot flag, the stories list's ``side`` filter). The project
ships an example for its own fictional demo outlets, ``examples/outlet-profiles.csv``.

CSV: a header row with ``outlet`` and any of ``leaning``, ``country``, ``owner``, ``type``.
JSON: a list of such objects, or an object ``{outlet: {leaning, country, owner, type}}``.
``leaning`` is ``left``, ``centre`` (``center``) or ``right`` (``lean left`` / ``lean right``
count as their side), or a score from -1 (left) to +1 (right): below -1/3 is left, above +1/3
right, between centre. Outlets are matched by ``dedup.outlet_key`` ("The Daily Lantern" =
"daily lantern").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from samestory.dedup.sources import outlet_key
from samestory.errors import InputError

__all__ = ["OutletProfile", "Profiles", "load_profiles", "parse_profiles", "SIDES", "STATE_NAME"]

SIDES = ("left", "centre", "right")
STATE_NAME = "outlet_profiles"  # where `samestory profiles import` keeps them in the store
_SCORE_EDGE = 1 / 3  # a score splits [-1, 1] into three equal thirds
_WORDS = {"left": "left", "lean left": "left", "left-leaning": "left", "centre": "centre", "center": "centre",
          "central": "centre", "right": "right", "lean right": "right", "right-leaning": "right"}
_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class OutletProfile:
    outlet: str
    side: str | None = None  # left, centre, right; None when the file gives no leaning
    score: float | None = None  # the score as given, when the leaning was a number
    country: str | None = None
    owner: str | None = None
    type: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


class Profiles(Mapping[str, OutletProfile]):
    """Profiles by outlet, looked up by outlet identity (``outlet_key``)."""

    def __init__(self, profiles: Iterable[OutletProfile] = ()) -> None:
        self._by_key = {outlet_key(p.outlet): p for p in profiles}

    def __getitem__(self, outlet: str) -> OutletProfile:
        return self._by_key[outlet_key(outlet)]

    def __iter__(self):
        return (p.outlet for p in self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, outlet: object) -> bool:
        return isinstance(outlet, str) and outlet_key(outlet) in self._by_key

    def side(self, outlet: str) -> str | None:
        p = self._by_key.get(outlet_key(outlet))
        return p.side if p else None

    def to_state(self) -> list[dict]:
        return [p.to_dict() for p in self._by_key.values()]

    @classmethod
    def from_state(cls, data: list[dict] | None) -> Profiles:
        return cls(OutletProfile(**d) for d in (data or []))


def _side(value: object, source: str, outlet: str) -> tuple[str | None, float | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        score = float(value)
    else:
        text = " ".join(str(value).strip().lower().split())
        if text in _WORDS:
            return _WORDS[text], None
        try:
            score = float(text)
        except ValueError:
            raise InputError(source, f"outlet {outlet!r}: leaning {value!r} is not left, centre, right or a "
                                     "score from -1 to 1") from None
    if not -1.0 <= score <= 1.0:
        raise InputError(source, f"outlet {outlet!r}: leaning score {score} is outside -1 (left) to 1 (right)")
    side = "left" if score < -_SCORE_EDGE else "right" if score > _SCORE_EDGE else "centre"
    return side, score


def _profile(row: Mapping[str, object], source: str, line: str) -> OutletProfile:
    outlet = str(row.get("outlet") or "").strip()
    if not outlet:
        raise InputError(source, f"{line}: no outlet name")
    side, score = _side(row.get("leaning"), source, outlet)

    def text(key: str) -> str | None:
        value = row.get(key)
        return str(value).strip() or None if value is not None else None

    return OutletProfile(outlet, side, score, text("country"), text("owner"), text("type"))


def parse_profiles(text: str, source: str = "profiles") -> Profiles:
    """Profiles from the text of a CSV or JSON file (JSON when it starts with ``[`` or ``{``).
    Raises InputError naming ``source`` and what is wrong."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise InputError(source, "the profiles file is empty")
    if stripped[0] in "[{":
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
        if isinstance(data, dict):
            rows = [{"outlet": k, **(v if isinstance(v, dict) else {"leaning": v})} for k, v in data.items()]
        elif isinstance(data, list) and all(isinstance(r, dict) for r in data):
            rows = data
        else:
            raise InputError(source, "JSON profiles must be a list of objects or an object keyed by outlet")
        return Profiles(_profile(r, source, f"entry {k + 1}") for k, r in enumerate(rows))
    reader = csv.DictReader(io.StringIO(stripped))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "outlet" not in fields:
        raise InputError(source, "the CSV header has no 'outlet' column (columns: outlet, leaning, country, owner, type)")
    reader.fieldnames = fields
    return Profiles(_profile(r, source, f"line {k + 2}") for k, r in enumerate(reader))


def load_profiles(path: str | Path) -> Profiles:
    """Profiles from a CSV or JSON file. Raises InputError for a missing, oversized or malformed file."""
    path = Path(path)
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise InputError(str(path), "the profiles file is larger than 5 MB")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), "no such profiles file") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "the profiles file is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read the profiles file: {exc.strerror or exc}") from None
    return parse_profiles(text, str(path))
