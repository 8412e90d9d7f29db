# Moves between formats (extend, project, also through any hyperplane, block sum, symmetries, the bud product) and the searches built on them:
# the best start for a format from a library of schemes, and the campaign over many formats.
target_sources(fmm_search PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/format_moves.cpp
  ${CMAKE_CURRENT_LIST_DIR}/basis_projection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bud_product.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bud_walk.cpp
  ${CMAKE_CURRENT_LIST_DIR}/best_start.cpp
  ${CMAKE_CURRENT_LIST_DIR}/campaign_state.cpp
  ${CMAKE_CURRENT_LIST_DIR}/campaign.cpp
  ${CMAKE_CURRENT_LIST_DIR}/frontier_report.cpp)
