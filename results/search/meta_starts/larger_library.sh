# Sourced by the scripts here. larger_library LIBRARY DEST N M P: copies into DEST (emptied
# first) the scheme files of LIBRARY whose format, up to a symmetry, is one or two larger than
# <N,M,P> in the sum of its dimensions and at least as large in each: the parts of a projection start.
larger_library() {
  local library=$1 dest=$2 n=$3 m=$4 p=$5 file a b c perm x y z
  rm -rf "$dest" && mkdir -p "$dest"
  for file in "$library"/*.txt; do
    IFS=x read -r a b c <<<"$(basename "$file" | cut -d_ -f1)"
    for perm in "$a $b $c" "$a $c $b" "$b $a $c" "$b $c $a" "$c $a $b" "$c $b $a"; do
      read -r x y z <<<"$perm"
      if (( x >= n && y >= m && z >= p && x + y + z - n - m - p >= 1 && x + y + z - n - m - p <= 2 )); then
        cp "$file" "$dest/" && break
      fi
    done
  done
}
