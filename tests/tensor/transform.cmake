# fmm_add_test(...) for transformations and metrics
