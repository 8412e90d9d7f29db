# target_sources(fmm_search PRIVATE ...) for the tensor game and tree search
