#include "sim/sharding/node.h"

#include "sim/sharding/hash.h"

namespace scalebook::sim::sharding {

namespace {
bool valid_host(std::string_view h) {
  if (h.empty() || h.size() > 255) return false;
  for (char c : h) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}
}  // namespace

std::vector<Node> parse_node_list(std::string_view text, std::string& error) {
  std::vector<Node> nodes;
  error.clear();
  if (text.empty()) {
    error = "empty node list";
    return {};
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view entry = text.substr(start, comma - start);
    const std::string where = "node '" + std::string(entry) + "'";
    Node node;
    const std::size_t c1 = entry.find(':');
    node.host = std::string(entry.substr(0, c1));
    if (!valid_host(node.host)) {
      error = where + ": expected host[:port[:weight]] with a host of letters, digits, '.', '-' or '_'";
      return {};
    }
    if (c1 != std::string_view::npos) {
      const std::string_view rest = entry.substr(c1 + 1);
      const std::size_t c2 = rest.find(':');
      const auto port = parse_decimal_u64(rest.substr(0, c2));
      if (!port || *port == 0 || *port > 65535) {
        error = where + ": port must be an integer in [1, 65535]";
        return {};
      }
      node.port = static_cast<std::uint32_t>(*port);
      if (c2 != std::string_view::npos) {
        const auto weight = parse_decimal_u64(rest.substr(c2 + 1));
        if (!weight || *weight == 0 || *weight > kMaxNodeWeight) {
          error = where + ": weight must be an integer in [1, " + std::to_string(kMaxNodeWeight) + "]";
          return {};
        }
        node.weight = static_cast<std::uint32_t>(*weight);
      }
    }
    for (const auto& other : nodes) {
      if (other.host == node.host && other.port == node.port) {
        error = where + ": " + node.name() + " is listed twice";
        return {};
      }
    }
    nodes.push_back(std::move(node));
    start = comma + 1;
  }
  return nodes;
}

Node generated_node(std::size_t i) {
  Node n;
  n.host = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
  return n;
}

std::vector<Node> generated_nodes(std::size_t n) {
  std::vector<Node> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(generated_node(i));
  return out;
}

}  // namespace scalebook::sim::sharding
