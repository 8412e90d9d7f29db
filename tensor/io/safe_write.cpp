#include "tensor/io/safe_write.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE (glibc >= 2.28)
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "tensor/error.hpp"

namespace fmm {
namespace {

std::string reason(int err) { return std::strerror(err); }

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  throw Error("cannot " + what + " '" + path + "': " + reason(err));
}

// The directory a path lives in ("." for a bare name) and its last component.
std::pair<std::string, std::string> split(const std::string& path) {
  const std::filesystem::path p(path);
  std::string dir = p.parent_path().string();
  if (dir.empty()) dir = ".";
  return {dir, p.filename().string()};
}

const char* kind_of(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

// What is at `path` now: nothing, or a regular file (its mode). Anything else throws.
struct Target {
  bool exists = false;
  mode_t mode = 0;
};

Target inspect(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    fail("inspect", path, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    std::string why = std::string("'") + path + "' is " + kind_of(st.st_mode) + "; fmm replaces only regular files";
    if (S_ISLNK(st.st_mode)) why += " and never writes through a symbolic link (give the link's target instead)";
    throw Error("refusing to write " + why);
  }
  return {true, st.st_mode};
}

std::string random_suffix() {
  // std::random_device reads the kernel's generator (getrandom) on Linux; the name only has to
  // be unguessable enough that O_EXCL never meets a prepared path twice in a row.
  static thread_local std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 4; ++i) {
    unsigned x = device();
    for (int k = 0; k < 4; ++k, x >>= 4) s += kHex[x & 15];
  }
  return s;
}

// An open temporary file that removes itself unless committed.
class Temporary {
 public:
  Temporary(const std::string& dir, const std::string& base, mode_t mode) {
    for (int attempt = 0; attempt < 16; ++attempt) {
      // ".NAME.RANDOM.tmp", NAME cut so that the whole stays within NAME_MAX (255).
      path_ = dir + "/." + base.substr(0, 200) + "." + random_suffix() + ".tmp";
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
      if (fd_ >= 0) return;
      if (errno != EEXIST) fail("create a temporary file in", dir, errno);
    }
    fail("create a temporary file in", dir, EEXIST);
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;
  ~Temporary() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  int fd() const { return fd_; }
  // Closes the descriptor, reporting an error a deferred write may only show here (NFS, quotas).
  void close(const std::string& target) {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("write", target, errno);
  }
  void committed() { committed_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

void write_all(int fd, std::string_view content, const std::string& target) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write", target, errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

// Makes the rename itself durable; some file systems cannot fsync a directory, which is fine.
void sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// Moves `from` to `to` only if `to` does not exist, atomically. False when it exists.
bool rename_no_replace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) fail("write", to, errno);
  // A file system without RENAME_NOREPLACE: link() also refuses an existing name, atomically.
  if (::link(from.c_str(), to.c_str()) == 0) {
    ::unlink(from.c_str());
    return true;
  }
  if (errno == EEXIST) return false;
  fail("write", to, errno);
}

}  // namespace

bool is_stdout_path(const std::string& path) { return path == "-" || path == "/dev/stdout"; }

bool write_file_atomically(const std::string& path, std::string_view content, Existing existing) {
  if (path.empty()) throw Error("cannot write a file with an empty name");
  if (is_stdout_path(path)) {
    write_all(STDOUT_FILENO, content, "standard output");
    return true;
  }
  if (existing == Existing::Keep) {  // anything at all there (even a link) keeps the name taken
    struct stat st {};
    if (lstat(path.c_str(), &st) == 0) return false;
    if (errno != ENOENT) fail("inspect", path, errno);
  }
  const Target target = inspect(path);
  const auto [dir, base] = split(path);
  if (base.empty() || base == "." || base == "..") throw Error("cannot write '" + path + "': it names a directory");
  Temporary tmp(dir, base, 0644);
  // A replaced file keeps its permission bits (a new one gets 0644 less the umask).
  if (target.exists && ::fchmod(tmp.fd(), target.mode & 07777) != 0) fail("set the mode of", tmp.path(), errno);
  write_all(tmp.fd(), content, path);
  if (::fsync(tmp.fd()) != 0) fail("write", path, errno);
  tmp.close(path);
  if (existing == Existing::Keep) {
    if (!rename_no_replace(tmp.path(), path)) return false;
  } else {
    // Between inspect() and here something else may have appeared at `path`; rename() never
    // follows a link and fails on a directory, so the worst case is replacing that new entry.
    if (::rename(tmp.path().c_str(), path.c_str()) != 0) fail("write", path, errno);
  }
  tmp.committed();
  sync_directory(dir);
  return true;
}

void check_writable_file(const std::string& path) {
  if (path.empty()) throw Error("cannot write a file with an empty name");
  if (is_stdout_path(path)) return;
  inspect(path);
  const auto [dir, base] = split(path);
  if (base.empty() || base == "." || base == "..") throw Error("cannot write '" + path + "': it names a directory");
  Temporary probe(dir, base, 0600);  // removed again by its destructor
}

void check_writable_directory(const std::string& dir) {
  if (dir.empty()) throw Error("cannot write into a directory with an empty name");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("cannot create directory '" + dir + "': " + ec.message());
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) fail("inspect", dir, errno);
  if (!S_ISDIR(st.st_mode)) throw Error("'" + dir + "' is not a directory");
  Temporary probe(dir, "fmm-write-check", 0600);
}

void append_to_file(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
  if (fd < 0) {
    if (errno == ELOOP) throw Error("refusing to append to '" + path + "': it is a symbolic link (give the link's target instead)");
    fail("open", path, errno);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const int err = errno;
    ::close(fd);
    if (S_ISREG(st.st_mode)) fail("inspect", path, err);
    throw Error("refusing to append to '" + path + "': it is " + kind_of(st.st_mode) + ", not a regular file");
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      fail("append to", path, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) fail("close", path, errno);
}

}  // namespace fmm
