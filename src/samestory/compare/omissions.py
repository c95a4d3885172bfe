"""Omissions: for each outlet, the claims most other independent outlets carry and it does not.

Independent sources are counted as the claims stage counts them (``claims.source_keys``: dedup's
source groups, so two outlets running one agency's wire story are one source). The weight of an
omission is the share of the *other* independent sources that carry the claim
(1.0: every other source has it). Only claims carried by more than half of the others count, so
with two sources every claim of the other one is an omission of weight 1.0, and with five
sources a claim needs three of the four others. A conflicting group counts too (an outlet that
reports no injury figure at all left it out), but never for an outlet that states a version of it.
A *unique detail* (a value only one source gives inside a shared clause) is an omission only of
the outlets that carry that clause: what they leave out is the value, and the omission says so
(an outlet that lacks the whole clause has that clause's own omission).
"""

from __future__ import annotations

from collections.abc import Sequence

from samestory.compare.claims import Alignment
from samestory.dedup import source_keys
from samestory.models import Article, Omission

__all__ = ["find_omissions", "MOST"]

MOST = 0.5  # a claim counts when more than this share of the other sources carry it


def find_omissions(articles: Sequence[Article], alignment: Alignment) -> tuple[Omission, ...]:
    outlet_sources: dict[str, set[str]] = {}
    for a, key in zip(articles, source_keys(articles)):  # wire copy of one agency is one source
        outlet_sources.setdefault(a.outlet, set()).add(key)
    all_sources = set().union(*outlet_sources.values()) if outlet_sources else set()

    # the independent sources carrying each group, and the outlets
    carriers: list[tuple[set[str], tuple[str, ...]]] = []
    for group, members in zip(alignment.groups, alignment.members):
        carriers.append(({alignment.infos[i].source for i in members}, group.outlets))

    by_id = {g.id: g for g in alignment.groups}
    out: list[tuple[int, Omission]] = []
    for outlet, own in outlet_sources.items():
        others = all_sources - own
        if not others:
            continue
        for order, (group, (sources, outlets)) in enumerate(zip(alignment.groups, carriers)):
            if outlet in outlets or sources & own:
                continue
            carrying = sources & others
            weight = len(carrying) / len(others)
            if weight <= MOST:
                continue
            text = group.text
            if group.detail_of is not None:
                parent = by_id.get(group.detail_of)
                if parent is None or outlet not in parent.outlets:
                    continue
                text = f"{group.detail}, which {' and '.join(group.outlets)} gives in: {group.text}"
            carried_by = tuple(o for o in outlets if o != outlet)
            out.append((order, Omission(outlet, group.id, text, carried_by, round(weight, 3))))
    outlet_order = {o: k for k, o in enumerate(outlet_sources)}
    out.sort(key=lambda x: (outlet_order[x[1].outlet], -x[1].weight, x[0]))
    return tuple(o for _, o in out)
