#include "search/run/search_config.hpp"

namespace fmm::search {

std::string to_string(Method method) {
  switch (method) {
    case Method::Flip: return "flip";
    case Method::Mcts: return "mcts";
    case Method::Auto: return "auto";
  }
  return "?";
}

std::optional<Method> parse_method(const std::string& text) {
  if (text == "flip") return Method::Flip;
  if (text == "mcts") return Method::Mcts;
  if (text == "auto") return Method::Auto;
  return std::nullopt;
}

}  // namespace fmm::search
