# Flip-graph walks (Kauers-Moosbauer 2023; Arai-Ichikawa-Hukushima 2024), Hensel lifting,
# the result pool, checkpoints and the bench.
target_sources(fmm_search PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/search_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thread_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/progress.cpp)
target_sources(fmm_search PRIVATE ${CMAKE_CURRENT_LIST_DIR}/flip_terms.cpp)
target_sources(fmm_search PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lift.cpp
  ${CMAKE_CURRENT_LIST_DIR}/flip_search.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bench.cpp)
