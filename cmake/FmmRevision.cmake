# Script mode (cmake -P), run at every build by the fmm_revision target: writes OUTPUT, a header
# defining FMM_VERSION and FMM_GIT_REVISION, and rewrites it only when its content changes, so
# the few files that include it recompile only after HEAD moved. The revision is the
# environment's FMM_GIT_REVISION when set (a copy of the tree without .git, as on the GPU
# machine), else `git rev-parse --short=12 HEAD` in SOURCE_DIR (with "-dirty" when tracked files
# have uncommitted changes), else "unknown".
if(DEFINED ENV{FMM_GIT_REVISION} AND NOT "$ENV{FMM_GIT_REVISION}" STREQUAL "")
  set(revision "$ENV{FMM_GIT_REVISION}")
else()
  execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY "${SOURCE_DIR}"
                  OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR revision STREQUAL "")
    set(revision "unknown")
  else()
    # A build of a tree with uncommitted changes to tracked files is not HEAD: say so, so that a
    # report's provenance never names a commit the binary was not built from.
    execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY "${SOURCE_DIR}"
                    OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc2)
    if(rc2 EQUAL 0 AND NOT changes STREQUAL "")
      string(APPEND revision "-dirty")
    endif()
  endif()
endif()
string(CONCAT content "// Generated at build time by cmake/FmmRevision.cmake; do not edit.\n#pragma once\n"
       "#define FMM_VERSION \"${VERSION}\"\n#define FMM_GIT_REVISION \"${revision}\"\n")
set(old "")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL content)
  file(WRITE "${OUTPUT}" "${content}")
endif()
