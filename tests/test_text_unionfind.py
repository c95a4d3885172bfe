from samestory.text.unionfind import UnionFind


def test_union_keeps_the_first_root_and_groups_are_ordered():
    uf = UnionFind(6)
    assert uf.union(3, 1) == 3 and uf.find(1) == 3
    uf.union(4, 5)
    uf.union(1, 5)
    assert uf.find(5) == 3
    assert uf.groups() == [[0], [1, 3, 4, 5], [2]]
