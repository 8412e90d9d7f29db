# The learned tensor-game search: an AlphaTensor-style policy/value network in Eigen, its
# training (synthetic demonstrations, self-play) and its use by the tree search; see trainer.hpp.
set(_fmm_learn_sources
  ${CMAKE_CURRENT_LIST_DIR}/encoding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/demos.cpp
  ${CMAKE_CURRENT_LIST_DIR}/proposals.cpp
  ${CMAKE_CURRENT_LIST_DIR}/net_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/restarts.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trainer.cpp)
target_sources(fmm_search PRIVATE ${_fmm_learn_sources})
target_link_libraries(fmm_search PUBLIC Eigen3::Eigen)
# Our own threads parallelise over games and gradient chunks; Eigen spawning more would
# oversubscribe two cores and make the summation order depend on the thread count.
set_source_files_properties(${_fmm_learn_sources} PROPERTIES COMPILE_DEFINITIONS EIGEN_DONT_PARALLELIZE)
# The network's matrix products are most of the training time; -march=native lets Eigen use
# AVX2/AVX-512 and FMA (several times faster than the SSE2 baseline). Off by default: a binary
# built with it runs only on CPUs like the build machine's, and the floating-point results
# (hence sampled moves) differ slightly between the two builds.
option(FMM_NATIVE_LEARN "Compile the network code (search/learn) with -march=native" OFF)
if(FMM_NATIVE_LEARN)
  # (GCC 12 reports false maybe-uninitialized warnings inside its AVX-512 intrinsics headers.)
  set_property(SOURCE ${_fmm_learn_sources} APPEND PROPERTY COMPILE_OPTIONS -march=native -Wno-maybe-uninitialized)
endif()
