"""Deduplication: exact copies, near copies, wire families and versions; independent sources.

    fingerprint.py  normalized-text exact hash + MinHash (datasketch affine32) of word shingles
    lsh.py          compact banded LSH over the MinHash values (candidates)
    index.py        DedupIndex: incremental grouping, canonical choice, re-pointing, groups()
    wire.py         wire datelines and credit lines
    versions.py     sentence-level diff between two versions of one article
    sources.py      independent_sources / outlets_of / source_groups
"""

from samestory.dedup.fingerprint import (
    Fingerprint,
    FingerprintBatch,
    exact_hash,
    fingerprint,
    fingerprint_batch,
    fingerprint_many,
    normalize,
)
from samestory.dedup.index import (
    DedupConfig,
    DedupIndex,
    DuplicateGroup,
    GroupMember,
    describe_groups,
    is_aggregator,
    url_key,
)
from samestory.dedup.sources import (
    SourceGroup,
    count_sources,
    independent_sources,
    outlet_key,
    outlets_of,
    source_groups,
    source_keys,
    source_member,
    source_roots,
    source_wire,
    source_wire_of,
)
from samestory.dedup.versions import version_diff
from samestory.dedup.wire import WireCredit, WireInfo, canonical_wire, detect_wire, strip_wire_markers

__all__ = [
    "DedupConfig",
    "DedupIndex",
    "DuplicateGroup",
    "GroupMember",
    "Fingerprint",
    "FingerprintBatch",
    "SourceGroup",
    "WireCredit",
    "WireInfo",
    "canonical_wire",
    "describe_groups",
    "detect_wire",
    "exact_hash",
    "fingerprint",
    "fingerprint_batch",
    "fingerprint_many",
    "independent_sources",
    "count_sources",
    "source_roots",
    "source_keys",
    "source_member",
    "outlet_key",
    "source_wire",
    "source_wire_of",
    "is_aggregator",
    "normalize",
    "outlets_of",
    "source_groups",
    "strip_wire_markers",
    "url_key",
    "version_diff",
]
