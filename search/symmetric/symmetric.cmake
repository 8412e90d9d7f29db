# Cyclic-symmetric flip walks for <n,n,n> over GF(2) (Moosbauer-Poole 2025).
target_sources(fmm_search PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_scheme.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_walk.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetric_search.cpp)
