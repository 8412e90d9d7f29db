// The one way fmm writes a file: scheme files, generated code, search results, checkpoints and
// benchmark reports all go through write_file_atomically().
//
// The bytes go to a new temporary file in the target's directory, created exclusively under an
// unguessable name (O_CREAT|O_EXCL|O_NOFOLLOW: never an existing path, never through a planted
// symbolic link), are written and fsynced, and the temporary is then renamed over the target, so a
// reader (or a crash) sees the old file or the new one, never a part of either. The temporary is
// removed on every failure path, and every error names the path and the system's reason.
//
// What may be replaced: only a regular file (its permission bits are kept). A symbolic link is
// refused, not followed and not replaced: a link planted at the target would otherwise redirect
// the write, or silently turn a link the user made into a copy; give the link's target instead.
// Directories, FIFOs, sockets and device nodes are refused as well (fmm convert x /dev/full must
// not turn the device into a regular file). "-" and "/dev/stdout" are written through to standard
// output instead, unbuffered by us and checked for errors.
#pragma once

#include <string>
#include <string_view>

namespace fmm {

// What to do when something already exists at the target path.
enum class Existing {
  Replace,  // replace a regular file (the default)
  Keep,     // never replace: the rename happens only if the name is free, atomically
};

// Writes `content` to `path` as described above. Returns false only with Existing::Keep, when
// the name was taken (nothing was written and no temporary is left). Throws fmm::Error.
bool write_file_atomically(const std::string& path, std::string_view content, Existing existing = Existing::Replace);

// Appends `text` to the log file at `path`, created (mode 0666 less the umask) when missing. The
// file is opened with O_APPEND|O_NOFOLLOW and must be a regular file: a log never follows a
// planted symbolic link and never writes into a device or FIFO. Each call is one write(2) of the
// whole text where the system allows, so concurrent appenders do not interleave within a line.
// Throws fmm::Error.
void append_to_file(const std::string& path, std::string_view text);

// True for the names that mean standard output: "-" and "/dev/stdout".
bool is_stdout_path(const std::string& path);

// Throws fmm::Error unless write_file_atomically(path, ...) could succeed now: the directory
// exists and accepts a new file (checked by creating and removing a temporary there), and
// `path` is absent or a regular file. Lets a long run fail at its start, not at its first save.
void check_writable_file(const std::string& path);

// Creates `dir` (and its parents) when missing, then checks that files can be created in it.
void check_writable_directory(const std::string& dir);

}  // namespace fmm
