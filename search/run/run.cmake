# The run machinery every search shares: configuration, the verified result pool, worker
# threads, progress lines, checkpoints, the bench; the MPI exchange where MPI is found.
target_sources(fmm_search PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/search_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thread_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/progress.cpp
  ${CMAKE_CURRENT_LIST_DIR}/known_ranks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/results.cpp
  ${CMAKE_CURRENT_LIST_DIR}/walk_run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bench.cpp)

# The MPI-distributed search (run/mpi_exchange.hpp): walkers on every rank, best schemes
# exchanged between ranks. Optional: without MPI (or with -DFMM_WITH_MPI=OFF) fmm builds as before.
set(FMM_HAVE_MPI OFF)
if(FMM_WITH_MPI)
  find_package(MPI COMPONENTS CXX QUIET)
  if(MPI_CXX_FOUND)
    set(FMM_HAVE_MPI ON)
    target_sources(fmm_search PRIVATE ${CMAKE_CURRENT_LIST_DIR}/mpi_exchange.cpp)
    target_compile_definitions(fmm_search PUBLIC FMM_HAVE_MPI=1)
    target_link_libraries(fmm_search PUBLIC MPI::MPI_CXX)
    message(STATUS "fmm: MPI found (${MPI_CXX_LIBRARIES}); building the distributed search")
  else()
    message(STATUS "fmm: MPI not found; the search runs in one process")
  endif()
endif()
