# Lifting GF(2) schemes to Z: sign lift, Hensel lifting, flip neighbours, rational reconstruction.
target_sources(fmm_search PRIVATE ${CMAKE_CURRENT_LIST_DIR}/lift.cpp)
