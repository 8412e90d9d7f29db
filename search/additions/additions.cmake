# The additions objective of `fmm search` (fewest additions at a given rank): a walk over the
# flip graph and the change-of-basis orbit scored by codegen's common-subexpression elimination.
# Its own library, since it needs both fmm::search (lifting, threads, progress) and fmm::codegen.
add_library(fmm_search_additions
  ${CMAKE_CURRENT_LIST_DIR}/walk_scheme.cpp
  ${CMAKE_CURRENT_LIST_DIR}/addition_cost.cpp
  ${CMAKE_CURRENT_LIST_DIR}/addition_search.cpp)
add_library(fmm::search_additions ALIAS fmm_search_additions)
target_include_directories(fmm_search_additions PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(fmm_search_additions PUBLIC fmm::search fmm::codegen)
fmm_set_warnings(fmm_search_additions)
