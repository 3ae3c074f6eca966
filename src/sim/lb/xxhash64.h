// xxhash64.h — XXH64 (Yann Collet's xxHash, 64-bit variant), written from the
// specification (xxHash's doc/xxhash_spec.md): 4 lanes over 32-byte stripes,
// then 8-, 4- and 1-byte tails, then the avalanche. Little-endian input reads.
// Used by Envoy's Maglev (HashUtil::xxHash64(key, seed)) for each host's offset
// (seed 0) and skip (seed 1), so the port needs the same function bit for bit.
// Invariants: matches the reference vectors (tests/unit/lb_envoy_test.cpp).
// Not modelled: XXH3, XXH32, the streaming API.
#pragma once
#include <cstdint>
#include <string_view>

namespace scalebook::sim::lb {

std::uint64_t xxhash64(const void* data, std::size_t len, std::uint64_t seed = 0);
inline std::uint64_t xxhash64(std::string_view s, std::uint64_t seed = 0) { return xxhash64(s.data(), s.size(), seed); }

}  // namespace scalebook::sim::lb
