# The tensor game (AlphaTensor's TensorGame) and its tree search; see game.hpp, mcts.hpp.
target_sources(fmm_search PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/game.cpp
  ${CMAKE_CURRENT_LIST_DIR}/game_rank.cpp
  ${CMAKE_CURRENT_LIST_DIR}/move_generator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mcts.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mcts_endgame.cpp
  ${CMAKE_CURRENT_LIST_DIR}/game_search.cpp)
target_compile_definitions(fmm_search PUBLIC FMM_HAVE_MCTS=1)  # cli/cmd_search.cpp offers --method mcts
