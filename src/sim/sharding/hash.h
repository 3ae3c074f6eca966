// hash.h — the key and node hashes the sharding strategies use.
//
// Two families:
//  * hash64: our own 64-bit string hash (FNV-1a 64 over the bytes, seeded,
//    then the splitmix64 finaliser for avalanche). Used by every strategy that
//    has no real-world wire format to match (mod-N, ring, rendezvous, Maglev,
//    bounded loads). Portable: same value natively and in Wasm.
//  * ketama_*: exactly libmemcached's MD5-based hashes (libhashkit hashkit_md5
//    for keys; hosts.cc ketama_server_hash for continuum points): an MD5 digest
//    read as little-endian 32-bit words.
// Not modelled: libmemcached's other key hashes (one-at-a-time, FNV, CRC,
// Jenkins, Murmur); weighted ketama always uses MD5 for both.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace scalebook::sim::sharding {

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed = 0);

// libhashkit's hashkit_md5: the first four digest bytes, little-endian.
std::uint32_t ketama_key_hash(std::string_view key);

// libmemcached's ketama_server_hash(key, len, alignment) for alignment 0..3:
// the four little-endian 32-bit words of one MD5 digest.
std::array<std::uint32_t, 4> ketama_point_hashes(std::string_view sort_host);

// A decimal unsigned 64-bit integer ("0".."18446744073709551615", digits only).
std::optional<std::uint64_t> parse_decimal_u64(std::string_view text);

}  // namespace scalebook::sim::sharding
