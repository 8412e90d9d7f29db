# Flip-graph walks, lifting, pool, checkpoints, bench signature.
fmm_add_test(test_flip_graph test_flip_graph.cpp LIBS fmm::search LABELS search)
fmm_add_test(test_lift test_lift.cpp LIBS fmm::search LABELS search)
fmm_add_test(test_flip_search test_flip_search.cpp LIBS fmm::search LABELS search)
if(TARGET fmm)
  fmm_add_test(test_search_cli test_search_cli.cpp LIBS fmm::tensor LABELS search cli)
  add_dependencies(test_search_cli fmm)
endif()
fmm_add_test(test_bench test_bench.cpp LIBS fmm::search LABELS search)
if(TARGET fmm)
  # The same signature through the command line (keep in step with test_bench.cpp).
  add_test(NAME search_bench_signature COMMAND fmm search bench --small --expect 81e2c87847600538)
  set_tests_properties(search_bench_signature PROPERTIES LABELS search)
endif()
# The compiled-in best known ranks against the data files they are generated from.
fmm_add_test(test_known_ranks test_known_ranks.cpp LIBS fmm::search LABELS search)
target_compile_definitions(test_known_ranks PRIVATE FMM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
# The walker bank (the GPU walk's code) on its host emulation.
fmm_add_test(test_walker_bank test_walker_bank.cpp LIBS fmm::search LABELS search)
# The {-1,0,1} walker bank (the GPU's ternary walk) on its host emulation.
fmm_add_test(test_ternary_bank test_ternary_bank.cpp LIBS fmm::search LABELS search)
