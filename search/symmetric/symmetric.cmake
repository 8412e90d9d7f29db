# Symmetric flip walks for <n,n,n> over GF(2) (Moosbauer-Poole 2025): orbit_graph.hpp and
# symmetric_walk.hpp are header-only (the hot loop is a template over the group order).
target_sources(fmm_search PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_scheme.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_lift.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_search.cpp
  ${CMAKE_CURRENT_LIST_DIR}/orbit_bank.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_bank_run.cpp)
