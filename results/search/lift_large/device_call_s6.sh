# Device call: plateau lifting (seed 6) on 16 formats 1-2 above the best known integer rank, from
# the campaign's lowest-rank scheme of any ring; everything comes back in one archive.
export LD_LIBRARY_PATH=$PWD/.deps/lib
RINGS='gf2 z zt' bash results/search/lift_large/device_plateau_lift.sh .deps/bin/fmm 470 6 /tmp/plat_s6 \
  2x5x7 2x5x8 2x6x7 2x6x8 2x7x7 3x3x7 3x5x5 3x6x6 3x6x7 4x4x5 4x5x5 3x5x6 4x4x6 4x4x7 3x5x7 2x4x7
tar czf $OUT/plat_s6.tgz -C /tmp plat_s6
