# The tensor game and its tree search.
fmm_add_test(test_game test_game.cpp LIBS fmm::search LABELS search)
