// Where a search puts what it finds. Every result file is claimed, never overwritten: two runs
// writing into one --out directory keep both their schemes, and a result that cannot be written
// (a full disk, a removed directory) goes to the log instead of being lost.
#pragma once

#include <string>

#include "search/run/progress.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search {

// The file name a found scheme is saved under first: "3x3x3_r23_gf2.txt", "3x3x3_r23_z.txt".
std::string result_file_name(const Scheme& scheme);

// Verifies `scheme` and writes it (native format) into `dir`, created if missing, under the first
// of NAME.txt, NAME_2.txt, NAME_3.txt, ... that is free, claimed atomically (so concurrent runs
// never replace each other's files; tensor/io/safe_write.hpp). A file there that already holds
// the same scheme (the same terms in any order) is kept and its path returned instead, with
// *reused set. Returns the path. Throws fmm::Error (the reason included) when nothing could be
// written.
std::string save_result_file(const std::string& dir, const Scheme& scheme, bool* reused = nullptr);

// For the search drivers: save_result_file, then "saved PATH" in the log ("already saved as
// PATH" when the same scheme was there). When saving fails the
// log gets the reason and the scheme itself, in the native format, and false is returned: the
// run goes on, and the CLI prints the best schemes at its end and exits 2.
bool save_result(const std::string& dir, const Scheme& scheme, Progress& progress);

}  // namespace fmm::search
