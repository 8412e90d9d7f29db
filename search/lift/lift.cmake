# Lifting GF(2) schemes to Z: sign lift, Hensel lifting, flip neighbours, rational reconstruction;
# the GF(2) linear systems they solve (M4RI for the large ones, where the build finds it).
target_sources(fmm_search PRIVATE ${CMAKE_CURRENT_LIST_DIR}/lift.cpp ${CMAKE_CURRENT_LIST_DIR}/gf2_system.cpp)
find_path(FMM_M4RI_INCLUDE_DIR m4ri/m4ri.h)
find_library(FMM_M4RI_LIBRARY m4ri)
if(FMM_M4RI_INCLUDE_DIR AND FMM_M4RI_LIBRARY)
  message(STATUS "fmm: M4RI found (${FMM_M4RI_LIBRARY}): Hensel lifts of large schemes")
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/gf2_system.cpp PROPERTIES COMPILE_DEFINITIONS FMM_HAVE_M4RI
                              INCLUDE_DIRECTORIES ${FMM_M4RI_INCLUDE_DIR})
  target_link_libraries(fmm_search PRIVATE ${FMM_M4RI_LIBRARY})
else()
  message(STATUS "fmm: M4RI not found (Debian: libm4ri-dev): Hensel lifts stop at mid-size schemes")
endif()
