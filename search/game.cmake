# The tensor game (AlphaTensor's TensorGame) and its tree search; see search/game.hpp, search/mcts.hpp.
target_sources(fmm_search PRIVATE game.cpp game_rank.cpp move_generator.cpp mcts.cpp mcts_endgame.cpp game_search.cpp)
target_compile_definitions(fmm_search PUBLIC FMM_HAVE_MCTS=1)  # cli/cmd_search.cpp offers --method mcts
