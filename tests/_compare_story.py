"""A fictional story told by four outlets (written for these tests; no real text).

Shared: the Harlow footbridge in Veldmoor collapsed on Tuesday; the council closed the river path.
Conflicting: how many were injured (12 vs 20); the engineer's age (54 vs 57); whether it was inspected.
Unique: the mayor's promise (Courier only); the 1911 opening year (Gazette only).
Copy: the Wire Digest article is an exact copy of the Courier's.
"""

from __future__ import annotations

from samestory.models import Article, DuplicateLink

COURIER = Article(
    id="t-courier",
    outlet="Veldmoor Courier",
    title="Footbridge collapses into the Lenn",
    text=(
        "The Harlow footbridge in Veldmoor collapsed into the river Lenn on Tuesday morning.\n\n"
        "Twelve people were injured when the bridge gave way, the fire service said.\n\n"
        "Structural engineer Mara Tollen, 54, said the main cable had snapped.\n\n"
        "The bridge had been inspected by the council last spring.\n\n"
        "Mayor Ilse Brandt promised a new crossing would be built within two years.\n\n"
        "The council has closed the river path between the mill and the harbour until further notice."
    ),
)
GAZETTE = Article(
    id="t-gazette",
    outlet="Lenn Valley Gazette",
    title="Chaos as Harlow bridge falls",
    text=(
        "The Harlow footbridge in Veldmoor collapsed into the River Lenn on Tuesday morning, sending walkers into the water.\n\n"
        "20 people were injured when the bridge gave way, according to the fire service.\n\n"
        "Mara Tollen, 57, a structural engineer, said the main cable had snapped.\n\n"
        "The bridge had not been inspected by the council last spring.\n\n"
        "The footbridge first opened to walkers in 1911 and was listed as a historic structure.\n\n"
        "The council has closed the river path between the mill and the harbour until further notice."
    ),
)
HERALD = Article(
    id="t-herald",
    outlet="Northern Herald",
    title="Harlow footbridge collapse: river path shut",
    text=(
        "A footbridge over the river Lenn in Veldmoor collapsed on Tuesday morning.\n\n"
        "The council closed the river path between the mill and the harbour until further notice.\n\n"
        "Local fishermen said the water level had been unusually high all week."
    ),
)
DIGEST = Article(
    id="t-digest",
    outlet="Wire Digest",
    title=COURIER.title,
    text=COURIER.text,
    duplicate=DuplicateLink(canonical_id="t-courier", kind="exact", similarity=1.0),
)

STORY = [COURIER, GAZETTE, HERALD, DIGEST]


def group_with(coverage, *words):
    """The claim groups whose evidence mentions every word (case-insensitive)."""
    words = [w.lower() for w in words]
    return [g for g in coverage.claims
            if any(all(w in ev.text.lower() for w in words) for ev in g.evidence)]
