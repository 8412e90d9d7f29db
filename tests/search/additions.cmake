# Fewest additions at a given rank: the walk's moves keep the tensor, the search is deterministic
# under a step budget whatever the thread count, GF(2)-only starts are lifted, bad input refused.
fmm_add_test(test_additions test_additions.cpp LIBS fmm::search_additions LABELS search codegen)
if(TARGET fmm)
  add_test(NAME search_additions_cli COMMAND fmm search --objective additions --from laderman --max-steps 500
                                             --walkers 2 --seed 1)
  set_tests_properties(search_additions_cli PROPERTIES LABELS "search;cli"
                       PASS_REGULAR_EXPRESSION "additions: 62 -> [0-9]+ after CSE \\(naive 98 -> [0-9]+\\), rank 23 -> 23")
  add_test(NAME search_additions_no_budget COMMAND fmm search --objective additions --from laderman)
  set_tests_properties(search_additions_no_budget PROPERTIES LABELS "search;cli" WILL_FAIL TRUE)
endif()
