#!/usr/bin/env bash
# One device call: independent `fmm search` walks side by side, one per core, each for SECONDS.
# JOBS is a file in the tree, one walk a line: a name, then `fmm search` options (without
# --time-limit, --threads and --out, which this script sets); `#` starts a comment. Usage, with
# carry [".deps"] after `scripts/device_search.sh prepare`:
#   scripts/device_walks.sh SECONDS JOBS
# or on any machine: OUT=DIR FMM=build/cli/fmm scripts/device_walks.sh SECONDS JOBS
# More lines than cores wait for a free core (each still gets SECONDS). Returns summary.txt (each
# walk's last `done:` line), logs.tgz and schemes.tgz (every scheme the walks saved).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
seconds=${1:?usage: device_walks.sh SECONDS JOBS}
jobs_file=${2:?usage: device_walks.sh SECONDS JOBS}
[[ -f $jobs_file ]] || { echo "device_walks.sh: no such file: $jobs_file" >&2; exit 2; }
. scripts/device_env.sh
cores=$(nproc)
work=$(mktemp -d)
while read -r name args; do
  [[ -z $name || $name == \#* ]] && continue
  while (( $(jobs -rp | wc -l) >= cores )); do wait -n; done
  # shellcheck disable=SC2086  # the options are words on purpose
  "$fmm" search $args --threads 1 --time-limit "$seconds" --out "$work/$name" < /dev/null > /dev/null 2> "$work/$name.log" &
done < "$jobs_file"
wait
for log in "$work"/*.log; do
  echo "$(basename "$log" .log): $(grep -h 'done:' "$log" | tail -1 | sed 's/.*done: //')"
done > "$out/summary.txt"
(cd "$work" && tar czf "$out/logs.tgz" ./*.log)
if compgen -G "$work/*/*.txt" > /dev/null; then
  (cd "$work" && find . -name '*.txt' | tar czf "$out/schemes.tgz" -T -)
fi
rm -rf "$work"
