# Device call: plateau lifting (seed 5) on the 11 formats whose GF(2) rank was below their integer
# rank and 5 formats 1 above the best known, from the campaign's lowest-rank scheme of any ring;
# everything comes back in one archive. (This call ran past its limit before the archive step, with
# the binary of 20349b1: see README.md, "Device, 2026-12-03 evening".)
export LD_LIBRARY_PATH=$PWD/.deps/lib
RINGS='gf2 z zt' bash results/search/lift_large/device_plateau_lift.sh .deps/bin/fmm 470 5 /tmp/plat_s5 \
  3x7x7 5x6x7 5x6x8 5x7x7 5x7x8 5x8x8 6x6x6 6x6x7 6x7x7 6x7x8 7x8x8 2x5x6 2x6x6 3x3x6 3x4x8 2x4x7
tar czf $OUT/plat_s5.tgz -C /tmp plat_s5
