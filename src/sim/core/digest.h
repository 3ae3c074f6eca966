// digest.h — FNV-1a 64-bit digest of a run, for "same seed ⇒ same run" checks.
//
// Models: FNV-1a (Fowler/Noll/Vo), offset basis 0xcbf29ce484222325, prime
// 0x100000001b3, over bytes. Integers are fed as little-endian bytes and doubles
// as their IEEE-754 bit pattern, so the digest does not depend on the host's
// endianness or printf. Not cryptographic; collisions are possible but
// irrelevant for regression checks.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace scalebook::sim {

class TraceDigest {
 public:
  static constexpr std::uint64_t kOffsetBasis = 0xcbf29ce484222325ull;
  static constexpr std::uint64_t kPrime = 0x100000001b3ull;

  constexpr void add_byte(std::uint8_t b) {
    hash_ ^= b;
    hash_ *= kPrime;
  }
  constexpr void add_bytes(std::string_view bytes) {
    for (char c : bytes) add_byte(static_cast<std::uint8_t>(c));
  }
  constexpr void add_u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) add_byte(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  constexpr void add_i64(std::int64_t v) { add_u64(static_cast<std::uint64_t>(v)); }
  // __builtin_bit_cast: Emscripten 3.1.6's libc++ has no std::bit_cast; GCC and Clang both have the builtin.
  constexpr void add_double(double v) { add_u64(__builtin_bit_cast(std::uint64_t, v)); }

  constexpr std::uint64_t value() const { return hash_; }
  std::string hex() const {
    static const char* digits = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 0; i < 16; ++i) s[15 - i] = digits[(hash_ >> (4 * i)) & 0xF];
    return s;
  }

 private:
  std::uint64_t hash_ = kOffsetBasis;
};

constexpr std::uint64_t fnv1a64(std::string_view bytes) {
  TraceDigest d;
  d.add_bytes(bytes);
  return d.value();
}

}  // namespace scalebook::sim
