"""Union-find (disjoint sets) over the indices ``0..n-1``."""

from __future__ import annotations

__all__ = ["UnionFind"]


class UnionFind:
    """``find`` uses path halving; ``union(a, b)`` keeps ``a``'s root as the root, so callers
    choose which member names a set (pass the smaller first to keep the smallest index)."""

    __slots__ = ("parent",)

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> int:
        """Join the sets of ``a`` and ``b``; returns the root (``a``'s)."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
        return ra

    def groups(self) -> list[list[int]]:
        """The sets, each sorted, in order of their smallest member."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())
