# The MPI-distributed search end to end (only when fmm was built with MPI and mpirun exists).
if(FMM_HAVE_MPI AND TARGET fmm)
  find_program(FMM_MPIRUN NAMES mpirun mpiexec)
  if(FMM_MPIRUN)
    add_test(NAME test_search_mpi
             COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/mpi_search_test.sh ${FMM_MPIRUN} $<TARGET_FILE:fmm>
                     ${CMAKE_CURRENT_BINARY_DIR}/mpi_search_test)
    # Under the sanitize preset, OpenMPI's own start-up allocations (libmpi, libopen-pal, its
    # dlopen'ed components) read as leaks at exit: leak detection is off for this test only.
    set_tests_properties(test_search_mpi PROPERTIES LABELS "search;mpi" TIMEOUT 120
                         ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1")
  endif()
endif()
