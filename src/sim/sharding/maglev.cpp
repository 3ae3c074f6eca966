#include "sim/sharding/maglev.h"

#include "sim/sharding/hash.h"

namespace scalebook::sim::sharding {

bool is_prime(std::uint64_t n) {
  if (n < 2) return false;
  for (std::uint64_t d = 2; d * d <= n; ++d)
    if (n % d == 0) return false;
  return true;
}

void MaglevTable::build(const std::vector<Node>& nodes, std::uint32_t table_size) {
  const std::uint64_t m = table_size;
  const std::size_t n = nodes.size();
  constexpr std::uint32_t kEmpty = UINT32_MAX;
  entry_.assign(table_size, kEmpty);
  if (n == 0) return;
  std::vector<std::uint64_t> offset(n), skip(n), next(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = nodes[i].name();
    offset[i] = hash64(name, 0x4D41'474C'4556ull /* "MAGLEV" */) % m;
    skip[i] = hash64(name, 0x534B'4950ull /* "SKIP" */) % (m - 1) + 1;
  }
  std::uint64_t filled = 0;
  for (;;) {
    for (std::size_t i = 0; i < n; ++i) {
      // permutation[i][next[i]], skipping entries other nodes already took.
      std::uint64_t c = (offset[i] + next[i] * skip[i]) % m;
      while (entry_[c] != kEmpty) {
        ++next[i];
        c = (offset[i] + next[i] * skip[i]) % m;
      }
      entry_[c] = static_cast<std::uint32_t>(i);
      ++next[i];
      if (++filled == m) return;
    }
  }
}

}  // namespace scalebook::sim::sharding
