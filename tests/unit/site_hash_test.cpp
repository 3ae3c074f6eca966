// site_hash_test.cpp — the build stamp's short hash is the tree's one FNV-1a
// (sim/core/digest.h): the published 64-bit test vectors, first 12 hex digits.
#include <gtest/gtest.h>

#include "site/text.h"

TEST(SiteHash, ShortHashIsFnv1a64WithTheStandardOffsetBasis) {
  EXPECT_EQ(scalebook::site::short_hash(""), "cbf29ce48422");   // 0xcbf29ce484222325
  EXPECT_EQ(scalebook::site::short_hash("a"), "af63dc4c8601");  // 0xaf63dc4c8601ec8c
  EXPECT_EQ(scalebook::site::short_hash("foobar"), "85944171f739");  // 0x85944171f73967e8
}
