"""Reprints: which archived pages are copies of one story, and which copy is the original.

It owns the pure similarity (canonical URLs and exact fingerprints in `fingerprints`,
MinHash, LSH band keys and the same-story checks in `neardup`), the persistent
near-duplicate index in the archive (`nearindex`, with the band keys a connection keeps
in memory in `lshmemory`), story assignment and the choice of originals (`stories`, with
the outlets named in 来源 in `outlets`), and reading stories with their copies (`copies`).
"""
