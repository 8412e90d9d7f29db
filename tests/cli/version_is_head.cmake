# `fmm --version` names the git revision of the source tree it was built from (HEAD at build
# time, "-dirty" when tracked files had uncommitted changes). Skipped outside a git checkout or
# when FMM_GIT_REVISION overrides it.
if(DEFINED ENV{FMM_GIT_REVISION} AND NOT "$ENV{FMM_GIT_REVISION}" STREQUAL "")
  message("SKIPPED: no git checkout or an overridden revision")
  return()
endif()
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE head
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message("SKIPPED: no git checkout or an overridden revision")
  return()
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY "${SOURCE_DIR}"
                OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT changes STREQUAL "")
  string(APPEND head "-dirty")  # uncommitted changes to tracked files: the binary is not HEAD
endif()
execute_process(COMMAND "${FMM}" --version OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE)
message("${version}; HEAD ${head}")
if(NOT version MATCHES "\\(git ${head}\\)")
  message(FATAL_ERROR "fmm --version does not name HEAD ${head} (rebuild after a commit refreshes it)")
endif()
