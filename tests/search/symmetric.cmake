# Symmetric flip walks (Moosbauer-Poole 2025): the cyclic groups and the transposition.
fmm_add_test(test_symmetric test_symmetric.cpp LIBS fmm::search LABELS search)
fmm_add_test(test_orbit_bank test_orbit_bank.cpp LIBS fmm::search LABELS search)
fmm_add_test(test_transpose_walk test_transpose_walk.cpp LIBS fmm::search LABELS search)
