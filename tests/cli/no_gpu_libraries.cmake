# fmm must not link the CUDA runtime or cuBLAS (they cost some 200 MB of start-up memory to every
# command); only fmm-bench does. Reads `ldd FMM`; skipped where there is no ldd.
find_program(LDD ldd)
if(NOT LDD)
  message("SKIPPED: no ldd")
  return()
endif()
execute_process(COMMAND "${LDD}" "${FMM}" OUTPUT_VARIABLE libs RESULT_VARIABLE rc)
message("${libs}")
if(libs MATCHES "libcublas|libcudart|libcuda\\.so")
  message(FATAL_ERROR "fmm links GPU libraries")
endif()
