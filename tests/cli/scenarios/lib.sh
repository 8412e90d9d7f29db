# Shared by the CLI scenario scripts (tests/cli/scenarios/*.sh): each runs fmm in a fresh
# temporary directory and stops at the first expectation that fails. Exit 77 = skipped.
set -u
FMM=${FMM:?set FMM to the fmm binary}
DATA=${DATA:-}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fmm_cli_XXXXXX")
cleanup() {
  cd /
  for m in "${MOUNTS[@]:-}"; do [[ -n $m ]] && umount "$m" 2>/dev/null; done
  rm -rf "$WORK"
}
MOUNTS=()
trap cleanup EXIT
cd "$WORK"

# With KEEP_GOING=1 (used to show which expectations an older fmm breaks) a failed expectation
# is counted and the script goes on; otherwise it stops there.
FAILS=0
fail() {
  echo "FAIL: $*" >&2
  [[ -n ${KEEP_GOING:-} ]] || exit 1
  FAILS=$((FAILS + 1))
  return 1
}
finish() {
  ((FAILS == 0)) || { echo "$FAILS expectations failed" >&2; exit 1; }
  echo "$*"
}
skip() {
  echo "SKIP: $*"
  exit 77
}

# expect RC ARGS...: runs fmm ARGS, leaves stdout in $out and stderr in $err, checks the exit code.
expect() {
  local want=$1
  shift
  "$FMM" "$@" >"$WORK/.out" 2>"$WORK/.err"
  rc=$?
  out=$(tr -d '\0' <"$WORK/.out")
  err=$(tr -d '\0' <"$WORK/.err")
  echo "\$ fmm $* -> $rc"
  [[ $rc == "$want" ]] || fail "fmm $* exited $rc, expected $want
stdout: $out
stderr: $err"
}
has() { [[ $1 == *"$2"* ]] || fail "expected '$2' in: $1"; }
lacks() { [[ $1 != *"$2"* ]] || fail "did not expect '$2' in: $1"; }
# No temporary file (ours are .NAME.RANDOM.tmp) may be left in a directory.
no_temporaries() {
  local left
  left=$(find "$1" -name '*.tmp' 2>/dev/null)
  [[ -z $left ]] || fail "temporary files left behind: $left"
}

# A tmpfs of SIZE mounted at DIR, or skip (needs root and a kernel that allows the mount).
small_tmpfs() {
  local dir=$1 size=$2
  mkdir -p "$dir"
  [[ $(id -u) == 0 ]] || skip "mounting a small tmpfs needs root"
  mount -t tmpfs -o "size=$size" fmm-test "$dir" 2>/dev/null || skip "cannot mount a tmpfs here"
  MOUNTS+=("$(cd "$dir" && pwd)")
}
