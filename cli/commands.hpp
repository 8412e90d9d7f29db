// One function per `fmm` subcommand. Each parses its own options (Boost.Program_options),
// prints `--help` with every option and its default, writes errors to stderr and returns
// the process exit code: 0 success, 1 a negative answer (a scheme that fails to verify, in
// any command that reads one; a search target not reached), 2 bad input or usage (or a file
// that cannot be written), 128 + signal for a search stopped by SIGINT/SIGTERM.
#pragma once

namespace fmm::cli {

int cmd_verify(int argc, char** argv);
int cmd_info(int argc, char** argv);
int cmd_convert(int argc, char** argv);
int cmd_compose(int argc, char** argv);
int cmd_transform(int argc, char** argv);
int cmd_lift(int argc, char** argv);  // search/lift/lift.hpp
int cmd_search(int argc, char** argv);
// `fmm search --objective additions ...` (cmd_search_additions.cpp); cmd_search dispatches to it.
bool search_objective_is_additions(int argc, char** argv);
int cmd_search_additions(int argc, char** argv);
int cmd_codegen(int argc, char** argv);
int cmd_meta(int argc, char** argv);
int cmd_campaign(int argc, char** argv);
int cmd_bench(int argc, char** argv);  // GPU builds only; prints why not otherwise
int cmd_train(int argc, char** argv);  // search/learn/trainer.hpp

}  // namespace fmm::cli
