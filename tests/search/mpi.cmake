# The MPI-distributed search end to end (only when fmm was built with MPI and mpirun exists).
if(FMM_HAVE_MPI AND TARGET fmm)
  find_program(FMM_MPIRUN NAMES mpirun mpiexec)
  if(FMM_MPIRUN)
    add_test(NAME test_search_mpi
             COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/mpi_search_test.sh ${FMM_MPIRUN} $<TARGET_FILE:fmm>
                     ${CMAKE_CURRENT_BINARY_DIR}/mpi_search_test)
    set_tests_properties(test_search_mpi PROPERTIES LABELS "search;mpi" TIMEOUT 120)
  endif()
endif()
