# target_sources(fmm_search PRIVATE ...) for flip-graph walks, lifting, pool, checkpoint, bench
