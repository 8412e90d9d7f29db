# fmm_add_test(...) for the readers and writers
