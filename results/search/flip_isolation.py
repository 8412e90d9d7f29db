#!/usr/bin/env python3
"""How connected a scheme is in the flip graph: the pairs of terms a flip can act on.

A flip (Kauers & Moosbauer, "Flip graphs for matrix multiplication", ISSAC 2023) rewrites two
terms that share a factor, a(x)b(x)c + a(x)b'(x)c' -> a(x)(b+b')(x)c + a(x)b'(x)(c'-c); a pair that
shares two factors is a reduction. A scheme with no such pair has no flip neighbour at all: a walk
reaches it only by a reduction and leaves it only by a plus transition.

usage: flip_isolation.py [--markdown] SCHEME...   (fmm's native scheme files)
Factors are compared over the scheme's own ring: modulo 2 for a 'Z2' file, up to sign otherwise
(a flip over Z needs equal factors up to a sign). Prints, per file: rank, pairs sharing a factor,
the terms in such pairs, and pairs sharing two factors (0 for a reduced scheme).
"""
import sys
from fractions import Fraction


def load(path):
    """(dims, field, terms): each term a tuple of three factor tuples."""
    header, terms = None, []
    with open(path) as f:
        for line in f:
            if line.startswith('#'):
                header = header or line
                continue
            if line.strip():
                terms.append(tuple(tuple(Fraction(x) for x in part.split()) for part in line.split('|')))
    if header is None:
        raise SystemExit(f'{path}: no "# n m p rank R field F" header line')
    words = header.split()
    field = words[words.index('field') + 1] if 'field' in words else 'Z'
    return tuple(int(w) for w in words[1:4]), field, terms


def key(factor, field):
    if field == 'Z2':
        return tuple(int(x) % 2 for x in factor)  # a Z2 file holds 0/1 entries
    lead = next((x for x in factor if x != 0), Fraction(1))
    return tuple(x if lead > 0 else -x for x in factor)  # equal up to sign


def connectivity(terms, field):
    keys = [tuple(key(f, field) for f in t) for t in terms]
    pairs = two = 0
    involved = set()
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            shared = sum(keys[i][m] == keys[j][m] for m in range(3))
            if shared:
                pairs += 1
                involved.update((i, j))
            if shared >= 2:
                two += 1
    return pairs, len(involved), two


def main(argv):
    markdown = '--markdown' in argv
    paths = [a for a in argv if a != '--markdown']
    if not paths:
        raise SystemExit(__doc__)
    if markdown:
        print('| scheme | format | ring | rank | pairs sharing a factor | terms in such pairs | pairs sharing two |')
        print('|---|---|---|---:|---:|---:|---:|')
    for path in paths:
        dims, field, terms = load(path)
        pairs, involved, two = connectivity(terms, field)
        fmt = 'x'.join(map(str, dims))
        if markdown:
            print(f'| `{path}` | {fmt} | {field} | {len(terms)} | {pairs} | {involved} | {two} |')
        else:
            print(f'{path}: {fmt} {field} rank {len(terms)}: {pairs} pairs share a factor '
                  f'({involved} terms), {two} share two')


if __name__ == '__main__':
    main(sys.argv[1:])
