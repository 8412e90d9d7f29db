# The tensor game (AlphaTensor's TensorGame) and its tree search; see search/game.hpp, search/mcts.hpp.
target_sources(fmm_search PRIVATE game.cpp game_rank.cpp move_generator.cpp mcts.cpp mcts_endgame.cpp)
