# Cyclic-symmetric flip walks (Moosbauer-Poole 2025).
fmm_add_test(test_symmetric test_symmetric.cpp LIBS fmm::search LABELS search)
fmm_add_test(test_orbit_bank test_orbit_bank.cpp LIBS fmm::search LABELS search)
