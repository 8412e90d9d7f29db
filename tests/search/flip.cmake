# Flip-graph walks, lifting, pool, checkpoints, bench signature.
fmm_add_test(test_flip_graph test_flip_graph.cpp LIBS fmm::search LABELS search)
