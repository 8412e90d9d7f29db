# The plain flip-graph walk (Kauers-Moosbauer 2023; Arai-Ichikawa-Hukushima 2024) over GF(2)
# and {-1,0,1}, and the search loop that runs its walkers.
target_sources(fmm_search PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/flip_terms.cpp
  ${CMAKE_CURRENT_LIST_DIR}/flip_search.cpp
  ${CMAKE_CURRENT_LIST_DIR}/walker_bank.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gpu_walk_plugin.cpp)
# gpu_walk_plugin.cpp loads the GPU walk plugin (gpu/walk/) with dlopen.
target_link_libraries(fmm_search PRIVATE ${CMAKE_DL_LIBS})
