# `cmake --install`: the libraries fmm::tensor, fmm::search, fmm::codegen (and fmm::gpu where
# CUDA was found), their headers under include/fmm/ (included as "tensor/verify.hpp" etc.), the
# programs fmm (and fmm-bench) and the package files for find_package(fmm):
#
#   find_package(fmm 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE fmm::tensor)      # or fmm::search, fmm::codegen, fmm::gpu
#   fmm_generate_gemm(NAME fast SCHEMES strassen LEVELS 2 OUTPUTS files)  # runs the installed fmm
#
# tests/consumer/ is such a project; CTest builds it against an install of this build.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(FMM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/fmm)
set(_fmm_libraries fmm_tensor fmm_search fmm_codegen)
if(TARGET fmm_gpu)
  list(APPEND _fmm_libraries fmm_gpu)
endif()
foreach(lib IN LISTS _fmm_libraries)
  string(REPLACE "fmm_" "" _export_name ${lib})
  set_target_properties(${lib} PROPERTIES EXPORT_NAME ${_export_name})
  # In the build tree headers come from the source tree; installed, from include/fmm.
  get_target_property(_dirs ${lib} INTERFACE_INCLUDE_DIRECTORIES)
  set_property(TARGET ${lib} PROPERTY INTERFACE_INCLUDE_DIRECTORIES
               $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/fmm>)
endforeach()

set(_fmm_programs "")
if(TARGET fmm)
  set_target_properties(fmm PROPERTIES EXPORT_NAME fmm)  # imported as fmm::fmm
  list(APPEND _fmm_programs fmm)
endif()
install(TARGETS ${_fmm_libraries} ${_fmm_programs} EXPORT fmmTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET fmm-bench)
  install(TARGETS fmm-bench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})  # next to fmm: `fmm bench` runs it
endif()
if(TARGET fmm_gpu_walk)
  install(TARGETS fmm_gpu_walk LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})  # fmm's ../lib: `fmm search --backend gpu` loads it
endif()

set(_fmm_header_dirs tensor search codegen)
if(TARGET fmm_gpu)
  list(APPEND _fmm_header_dirs gpu)
endif()
foreach(dir IN LISTS _fmm_header_dirs)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/fmm
          FILES_MATCHING PATTERN "*.hpp" PATTERN "*.cuh")
endforeach()

install(EXPORT fmmTargets NAMESPACE fmm:: DESTINATION ${FMM_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/fmmConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/fmmConfig.cmake INSTALL_DESTINATION ${FMM_INSTALL_CMAKEDIR})
# 0.x: a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/fmmConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/fmmConfig.cmake ${PROJECT_BINARY_DIR}/fmmConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FmmGenerateGemm.cmake
        DESTINATION ${FMM_INSTALL_CMAKEDIR})
