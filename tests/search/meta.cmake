# Moves between formats and the best start from a library of schemes.
fmm_add_test(test_meta test_meta.cpp LIBS fmm::search LABELS search)
fmm_add_test(test_campaign test_campaign.cpp LIBS fmm::search LABELS search)
