// md5.h — MD5 message digest (RFC 1321), written from the RFC's description.
//
// Why here: memcached's ketama distribution (libmemcached, libketama) places
// servers and keys on the continuum with MD5, so reproducing libmemcached's
// key → server mapping bit for bit needs MD5 bit for bit. Checked against the
// RFC 1321 appendix A.5 test suite in tests/unit/sharding_md5_test.cpp.
//
// Invariants: md5(x) is the RFC digest of the bytes of x (byte order as in the
// RFC: the digest is A, B, C, D each written little-endian).
// Not modelled: streaming input (keys and server names are short), security.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace scalebook::sim::sharding {

using Md5Digest = std::array<std::uint8_t, 16>;

Md5Digest md5(std::string_view bytes);

// Lower-case hexadecimal form, as printed by `md5sum`.
std::string md5_hex(std::string_view bytes);

}  // namespace scalebook::sim::sharding
