# Transformations (Kronecker, symmetries, change of basis, simplify) and metrics.
fmm_add_test(test_transform test_transform.cpp LIBS fmm::tensor LABELS tensor)
fmm_add_test(test_metrics test_metrics.cpp LIBS fmm::tensor LABELS tensor)
