# Symmetric flip walks over GF(2) (Moosbauer-Poole 2025): the cyclic groups of <n,n,n> and the
# transposition of <n,m,n>; orbit_graph.hpp, transpose_graph.hpp and symmetric_walk.hpp are
# header-only (the hot loop is a template over the group order).
target_sources(fmm_search PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_scheme.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transpose_scheme.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_lift.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_search.cpp
  ${CMAKE_CURRENT_LIST_DIR}/orbit_bank.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_bank_run.cpp)
