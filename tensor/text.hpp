// Text taken from input files (scheme sources, npz member names, tokens quoted in error
// messages) is echoed to terminals and written into headers. printable() makes it inert: a
// control byte (ESC, NUL, CR, ...) or a byte that is not valid UTF-8 becomes "\xHH", so a
// hostile file can neither drive the terminal nor cut a message short at a NUL.
#pragma once

#include <string>
#include <string_view>

namespace fmm {

// Escapes C0 controls, DEL, C1 controls (U+0080..U+009F) and invalid UTF-8 as "\xHH".
// With keep_newlines, '\n' and '\t' pass (for messages that we compose over several lines).
// Idempotent: the output holds no byte that it would escape again.
std::string printable(std::string_view text, bool keep_newlines = false);

}  // namespace fmm
