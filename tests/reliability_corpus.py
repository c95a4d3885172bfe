"""Invented articles for the reliability tests: 12 events, each told by 6 outlets.

Every article is distinct (own numbers, order and outlet), every outlet ends its articles with
the same footer line (boilerplate for the miner to learn), and each has a sidecar with outlet,
URL and publication time. Fictional: no third-party text.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

PLACES = ["Ashby", "Lowmarsh", "Northgate", "Tamsin Vale", "Eastholm", "Brackwater",
          "Kellford", "Orrin Bay", "Saltmere", "Windle", "Harrow Cross", "Pellow"]
TOPICS = [
    ("Flood", "floodwater reached", "households were evacuated", "The river rose faster than anyone expected"),
    ("Fire", "a warehouse fire broke out in", "families were moved from nearby streets", "The smoke could be seen for miles"),
    ("Strike", "bus drivers walked out in", "routes were cancelled", "We are asking for a fair wage and nothing more"),
    ("Bridge", "the old stone bridge was closed in", "drivers faced long detours", "Safety has to come first"),
    ("Market", "the covered market reopened in", "traders returned to their stalls", "It feels like the town has its heart back"),
    ("Storm", "a storm brought down trees across", "homes lost power", "Crews will work through the night"),
]
PEOPLE = ["Ada Brook", "Tom Reed", "Lena Marsh", "Ivo Petrak", "Ruth Okafor", "Sam Holloway",
          "Nina Sousa", "Owen Tice", "Maya Lind", "Joel Abara", "Clara Wynn", "Felix Dorn"]
OUTLETS = [("Vale Gazette", "the Vale"), ("Harbour Courier", "the coast"), ("Northgate Evening Star", "the north"),
           ("Meridian Post", "the region"), ("Daily Lantern", "the county"), ("Saltmere Herald", "the estuary")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def write_corpus(folder: Path, rng: random.Random, events: int = 12) -> list[Path]:
    """``6 * events`` invented articles (at most 72): each event told by 6 outlets in their own words and numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for e in range(min(events, len(PLACES))):
        place, person = PLACES[e], PEOPLE[e]
        topic, happened, consequence, quote = TOPICS[e % len(TOPICS)]
        count, age, cost = rng.randint(40, 4000), rng.randint(30, 75), rng.randint(2, 90)
        day = DAYS[e % len(DAYS)]
        for o, (outlet, region) in enumerate(OUTLETS):
            n = count + rng.choice([0, 0, 10, -5])
            paras = [
                f"On {day} {happened} {place}, and about {n} {consequence}, officials said.",
                f"{person}, {age + rng.choice([0, 0, 1])}, who leads the {place} council, said: “{quote}.”",
                f"Repairs could cost £{cost + rng.choice([0, 1])} million, according to a report seen by the {outlet}.",
                rng.choice([
                    f"Residents in {place} told the {outlet} they had not been warned in time.",
                    f"Neighbouring towns offered help, and volunteers arrived in {place} by the evening.",
                    f"The council will meet again next week to decide what to do in {place}.",
                    f"A spokesperson for the county said lessons would be learned from what happened in {place}.",
                ]),
            ]
            tail = paras[1:]
            rng.shuffle(tail)  # each outlet tells it in its own order
            paras = paras[:1] + tail
            title = f"{topic} in {place}: {n} {consequence.split(' were ')[0]} affected ({outlet})"
            footer = f"The {outlet} has reported on {region} since 18{o + 50}."
            path = folder / f"{e:02d}-{o}-{topic.lower()}-{place.lower().replace(' ', '-')}.txt"
            path.write_text(f"{title}\n\n" + "\n\n".join(paras) + f"\n\n{footer}\n", encoding="utf-8")
            meta = {"outlet": outlet, "url": f"https://{outlet.lower().replace(' ', '')}.example/{e}/{topic.lower()}",
                    "published": f"2025-03-{e + 1:02d}T{8 + o:02d}:00:00+00:00"}
            path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta), encoding="utf-8")
            paths.append(path)
    return paths
