# Sourced by the device scripts: best_scheme FORMAT [RINGS] prints the campaign's lowest-rank
# scheme file of FORMAT among the rings (file suffixes, default gf2), e.g. best_scheme 3x3x6 'gf2 z zt'.
best_scheme() {
  local f=$1 ring file
  for ring in ${2:-gf2}; do
    for file in results/search/campaign/schemes/"$f"_r*_"$ring".txt; do
      if [[ -e $file ]]; then echo "$file"; fi
    done
  done | sort -t_ -k2.2n | head -1
}
