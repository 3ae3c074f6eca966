// node_actions.h — what every cluster widget's scenario shares for the reader's faults,
// UI-free (native and Wasm): node names as the views label them (n1 … nN, 1-based), the
// node argument of an action checked against the cluster's size, the "split" action's two
// sides, a list of names in prose ("n1, n2 and n3"), and the summary's sentence on which
// nodes are down or cut off. One copy, so the raft and quorum widgets word their faults and
// refusals the same way (their scenario tests pin the texts).
#pragma once
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "widgets/actions.h"

namespace scalebook::widgets::nodes {

inline std::string name(std::uint32_t n) { return "n" + std::to_string(n + 1); }

// "a", "a and b", "a, b and c".
inline std::string join(const std::vector<std::string>& items) {
  std::string o;
  for (std::size_t i = 0; i < items.size(); ++i)
    o += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return o;
}

// Argument i of `a` as a 0-based node of a cluster of `size`: "" (and n set) or the refusal.
inline std::string parse(const Action& a, std::size_t i, std::uint32_t size, std::uint32_t& n) {
  const long long v = std::strtoll(a.args.at(i).c_str(), nullptr, 10);
  if (v < 1 || v > static_cast<long long>(size))
    return "action '" + a.name + "': there is no n" + a.args.at(i) + " in a cluster of " + std::to_string(size) +
           " (n1 to n" + std::to_string(size) + ")";
  n = static_cast<std::uint32_t>(v - 1);
  return {};
}

// The split action (argument 0: how many nodes, from n1 on, are on the first side): "" with
// the two sides and the event text ("split n1-n2 from the rest"), or the refusal.
struct Split {
  std::vector<std::uint32_t> left, right;
  std::string note;
};
inline std::string split(const Action& a, std::uint32_t size, Split& out) {
  const long long k = std::strtoll(a.args.at(0).c_str(), nullptr, 10);
  if (k < 1 || k >= static_cast<long long>(size))
    return "action '" + a.name + "': a side of " + a.args.at(0) +
           " nodes leaves nothing on the other side of a cluster of " + std::to_string(size);
  out = {};
  for (std::uint32_t i = 0; i < size; ++i) (static_cast<long long>(i) < k ? out.left : out.right).push_back(i);
  out.note = "split n1" + std::string(k > 1 ? "-" + name(static_cast<std::uint32_t>(k - 1)) : "") + " from the rest";
  return {};
}

// " n3 is down. n1 is cut off." (or " The network is split." when links are cut but no node
// is alone); "" when all is well. up(n): the node runs; connected(a, b): a's messages reach b.
template <class Up, class Connected>
std::string faults_sentence(std::uint32_t size, std::uint64_t cut_links, Up up, Connected connected) {
  std::vector<std::string> down, cut;
  for (std::uint32_t n = 0; n < size; ++n) {
    if (!up(n)) down.push_back(name(n));
    bool alone = size > 1;
    for (std::uint32_t m = 0; m < size; ++m)
      if (m != n && connected(n, m)) alone = false;
    if (alone) cut.push_back(name(n));
  }
  std::string o;
  if (!down.empty()) o += " " + join(down) + (down.size() == 1 ? " is" : " are") + " down.";
  if (!cut.empty()) o += " " + join(cut) + (cut.size() == 1 ? " is" : " are") + " cut off.";
  else if (cut_links > 0) o += " The network is split.";
  return o;
}

}  // namespace scalebook::widgets::nodes
