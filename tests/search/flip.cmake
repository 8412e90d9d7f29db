# fmm_add_test(...) for flip walks, lifting, checkpoints
