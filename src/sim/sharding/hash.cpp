#include "sim/sharding/hash.h"

#include "sim/core/rng.h"
#include "sim/sharding/md5.h"

namespace scalebook::sim::sharding {

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ull ^ mix64(seed);  // FNV-1a offset basis, seeded
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;  // FNV-1a 64 prime
  }
  return mix64(h);
}

namespace {
std::uint32_t le32(const Md5Digest& d, int word) {
  return std::uint32_t(d[4 * word]) | (std::uint32_t(d[4 * word + 1]) << 8) |
         (std::uint32_t(d[4 * word + 2]) << 16) | (std::uint32_t(d[4 * word + 3]) << 24);
}
}  // namespace

std::uint32_t ketama_key_hash(std::string_view key) { return le32(md5(key), 0); }

std::array<std::uint32_t, 4> ketama_point_hashes(std::string_view sort_host) {
  const Md5Digest d = md5(sort_host);
  return {le32(d, 0), le32(d, 1), le32(d, 2), le32(d, 3)};
}

std::optional<std::uint64_t> parse_decimal_u64(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  return v;
}

}  // namespace scalebook::sim::sharding
