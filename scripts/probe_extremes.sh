#!/usr/bin/env bash
# Runs every command that reads a scheme on valid schemes with extreme coefficients (entries
# near 2^40 and 2^31 in products that cancel, rationals scaled by 2^20..2^40) and on GF(2)-only
# ones, and reports what a sanitizer or an exit status outside 0/1/2 says. The fuzz targets
# (scripts/fuzz.sh) cover the parsers and verify(); this covers what runs after a scheme was
# read: codegen's CSE overflowed 64 bits on such a scheme (2026-12-07) with every parser clean.
#
# usage: scripts/probe_extremes.sh [FMM]   (default build-sanitize/cli/fmm: cmake --preset
#        sanitize && ninja -C build-sanitize fmm; any fmm binary works, a sanitized one finds more)
#   env: COUNT (schemes of each kind, default 12), SEED (default 1). Exit 1 when anything was found.
set -euo pipefail
cd "$(dirname "$0")/.."
fmm=$(realpath "${1:-build-sanitize/cli/fmm}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=0

python3 - "$work" "${COUNT:-12}" "${SEED:-1}" <<'PY'
import random, sys
work, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
# Strassen (Z), then the standard algorithm of a format as rows "u | v | w".
strassen = ["1 0 0 1 | 1 0 0 1 | 1 0 0 1", "0 0 1 1 | 1 0 0 0 | 0 0 1 -1", "1 0 0 0 | 0 1 0 -1 | 0 1 0 1",
            "0 0 0 1 | -1 0 1 0 | 1 0 1 0", "1 1 0 0 | 0 0 0 1 | -1 1 0 0", "-1 0 1 0 | 1 1 0 0 | 0 0 0 1",
            "0 1 0 -1 | 0 0 1 1 | 1 0 0 0"]
def standard(n, m, p):
    rows = []
    for i in range(n):
        for j in range(m):
            for k in range(p):
                u, v, w = [0] * (n * m), [0] * (m * p), [0] * (n * p)
                u[i * m + j] = v[j * p + k] = w[i * p + k] = 1
                rows.append(" ".join(map(str, u)) + " | " + " ".join(map(str, v)) + " | " + " ".join(map(str, w)))
    return rows
def write(name, shape, field, rows):
    n, m, p = shape
    with open(f"{work}/{name}.txt", "w") as f:
        f.write(f"# {n} {m} {p} rank {len(rows)} field {field} source probe_extremes\n" + "\n".join(rows) + "\n")
big = [2**40, -(2**40) + 3, 3**25, 2**31, -(2**31), 2**20 + 1, 1, -1]
for t in range(count):
    shape = rng.choice([(2, 2, 2), (2, 2, 2), (3, 3, 3)])
    rows = strassen[:] if shape == (2, 2, 2) else standard(*shape)
    na, nb, nc = shape[0] * shape[1], shape[1] * shape[2], shape[0] * shape[2]
    for _ in range(rng.choice([1, 2])):  # a pair of products that cancel: u v w and u v (-w)
        u = [rng.choice(big + [0]) for _ in range(na)]
        v = [rng.choice(big + [0]) for _ in range(nb)]
        w = [rng.choice(big + [0]) for _ in range(nc)]
        for sign in (1, -1):
            rows.append(" ".join(map(str, u)) + " | " + " ".join(map(str, v)) + " | " + " ".join(str(sign * x) for x in w))
    rng.shuffle(rows)
    write(f"big{t}", shape, "Z", rows)
    # Strassen with one product rescaled: u * 2^k, w / 2^k (valid over Q).
    k, r = rng.choice([20, 31, 40]), rng.randrange(7)
    u, v, w = (part.split() for part in strassen[r].split("|"))
    scaled = strassen[:]
    scaled[r] = " ".join(str(int(x) * 2**k) for x in u) + " | " + " ".join(v) + " | " + \
                " ".join(x if x == "0" else f"{x}/{2**k}" for x in w)
    write(f"scaled{t}", (2, 2, 2), "Q", scaled)
    # GF(2) only: the standard algorithm plus a product twice (cancels mod 2, not over Z).
    twice = " ".join(str(rng.randrange(2)) for _ in range(4)) + " | " + " ".join(str(rng.randrange(2)) for _ in range(4)) + \
            " | 1 " + " ".join(str(rng.randrange(2)) for _ in range(3))
    write(f"gf2_{t}", (2, 2, 2), "Z2", standard(2, 2, 2) + [twice, twice])
PY

found=0
cd "$work"
for f in *.txt; do
  for cmd in "verify $f" "info $f" "convert $f -o $f.json" "convert $f -o $f.exp" "compose $f strassen -o $f.c.txt" \
             "transform $f --simplify -o $f.t.txt" "transform $f --random-basis 3 -o $f.rb.txt" \
             "meta extend $f --axis p -o $f.e.txt" "meta project $f --axis n -o $f.p.txt" "meta sum $f $f --axis p -o $f.s.txt" \
             "meta buds $f --slot u --seconds 1 -o $f.b.txt" "lift $f -o $f.l.txt --neighbours 2" \
             "codegen $f --out $f.gen --cpp-only" "search --shape 2x2x2 --from $f --max-flips 20000 --field z" \
             "search --shape 2x2x2 --from $f --max-flips 20000" "search --objective additions --from $f --max-flips 20000"; do
    rc=0
    timeout 120 "$fmm" $cmd > out.log 2> err.log || rc=$?
    if [ "$rc" -gt 2 ] || grep -q "runtime error\|Sanitizer" err.log; then
      echo "fmm probe: fmm $cmd: exit $rc"
      grep -m 3 "runtime error\|ERROR\|SUMMARY" err.log || tail -n 3 err.log
      found=1
    fi
  done
done
[ "$found" = 0 ] && echo "fmm probe: $(ls *.txt | grep -vc '\.txt\.') schemes, every command clean"
exit "$found"
