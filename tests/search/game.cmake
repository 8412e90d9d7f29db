# fmm_add_test(...) for the tensor game and tree search
