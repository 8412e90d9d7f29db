# The tensor game and its tree search.
fmm_add_test(test_game test_game.cpp LIBS fmm::search LABELS search)
fmm_add_test(test_mcts test_mcts.cpp LIBS fmm::search LABELS search)
fmm_add_test(test_learn test_learn.cpp LIBS fmm::search LABELS search)
