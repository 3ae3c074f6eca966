// MD5 against the RFC 1321 appendix A.5 test suite, plus block-boundary
// lengths against the libmemcached-independent digests below.
#include <gtest/gtest.h>

#include <string>

#include "sim/sharding/hash.h"
#include "sim/sharding/md5.h"

namespace scalebook::sim::sharding {
namespace {

TEST(ShardingMd5, Rfc1321TestSuite) {
  // RFC 1321, A.5 "Test suite".
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(ShardingMd5, PaddingBoundaries) {
  // Lengths around the 56- and 64-byte padding boundaries (digests from GNU md5sum).
  EXPECT_EQ(md5_hex(std::string(55, 'a')), "ef1772b6dff9a122358552954ad0df65");
  EXPECT_EQ(md5_hex(std::string(56, 'a')), "3b0c8ac703f828b04c6c197006d17218");
  EXPECT_EQ(md5_hex(std::string(64, 'a')), "014842d480b571495a4a0363793f7367");
  EXPECT_EQ(md5_hex(std::string(1000, 'a')), "cabe45dcc9ae5b66ba86600cca6b8ba8");
}

TEST(ShardingMd5, KetamaHashIsFirstFourBytesLittleEndian) {
  // md5("abc") = 90 01 50 98 ...: libhashkit's hashkit_md5 reads bytes 0..3 little-endian.
  EXPECT_EQ(ketama_key_hash("abc"), 0x98500190u);
  const auto words = ketama_point_hashes("abc");
  EXPECT_EQ(words[0], 0x98500190u);
  EXPECT_EQ(words[1], 0xb04fd23cu);  // 3c d2 4f b0
  EXPECT_EQ(words[2], 0x7d3f96d6u);  // d6 96 3f 7d
  EXPECT_EQ(words[3], 0x727fe128u);  // 28 e1 7f 72
}

}  // namespace
}  // namespace scalebook::sim::sharding
