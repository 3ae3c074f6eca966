// Tests for sim/llm/kv_cache.h. Ports of vLLM tests/v1/core/test_prefix_caching.py name the
// original in a comment. Two stored versions of that file disagree on the free-queue order
// (see scheduler.h, DOCS vs CODE): @717aebb (and a newer stored copy) expect
// [6,7,8,9,10,4,5,3,2,1] (FreeOrder::kAppendAll); a later stored copy expects
// [5,4,6,7,8,9,10,3,2,1] (FreeOrder::kFreshFirst, what block_pool.py @c59cb79 does).
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "sim/llm/kv_cache.h"

namespace llm = scalebook::sim::llm;
using llm::BlockHash;
using llm::FreeOrder;
using llm::KvCacheManager;
using llm::TokenId;

namespace {

struct TestReq {
  llm::RequestId id = 0;
  std::vector<TokenId> tokens;
  std::vector<BlockHash> hashes;
  int num_computed = 0;
  int block_size = 16;

  TestReq(llm::RequestId i, std::vector<TokenId> t, int bs = 16) : id(i), tokens(std::move(t)), block_size(bs) {
    llm::extend_block_hashes(hashes, tokens, block_size);
  }
  void append(TokenId t, int n = 1) {
    for (int k = 0; k < n; ++k) tokens.push_back(t);
    llm::extend_block_hashes(hashes, tokens, block_size);
  }
  llm::KvRequestView view() const {
    llm::KvRequestView v;
    v.id = id;
    v.num_tokens = static_cast<int>(tokens.size());
    v.num_computed_tokens = num_computed;
    v.block_hashes = &hashes;
    return v;
  }
};

std::vector<TokenId> range(int lo, int hi) {
  std::vector<TokenId> v(static_cast<std::size_t>(hi - lo));
  std::iota(v.begin(), v.end(), lo);
  return v;
}

std::vector<TokenId> common_48() {  // three full blocks: 0 x16, 1 x16, 2 x16
  std::vector<TokenId> v;
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 16; ++k) v.push_back(i);
  return v;
}

std::vector<TokenId> concat(std::vector<TokenId> a, const std::vector<TokenId>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// allocate after a lookup, like the tests' get_computed_blocks + allocate_slots pairs
std::optional<std::vector<int>> lookup_and_allocate(KvCacheManager& m, const TestReq& r, int num_new,
                                                    llm::ComputedBlocks* hit_out = nullptr) {
  const llm::ComputedBlocks hit = m.get_computed_blocks(r.view());
  if (hit_out != nullptr) *hit_out = hit;
  return m.allocate_slots(r.view(), num_new, hit.num_tokens, &hit.blocks);
}

}  // namespace

// ---------------------------------------------------------------- free queue and hashing

TEST(LlmFreeBlockQueue, StartsInIdOrderAndSupportsMiddleRemoval) {
  llm::FreeBlockQueue q(6);
  EXPECT_EQ(q.ids_in_order(), (std::vector<int>{0, 1, 2, 3, 4, 5}));
  q.remove(3);
  EXPECT_EQ(q.popleft(), 0);
  q.append(3);
  q.prepend_n({0});  // re-insert 0 at the front
  EXPECT_EQ(q.ids_in_order(), (std::vector<int>{0, 1, 2, 4, 5, 3}));
  EXPECT_EQ(q.size(), 6);
  q.remove(0);
  q.remove(3);
  q.prepend_n({3, 0});
  EXPECT_EQ(q.ids_in_order(), (std::vector<int>{3, 0, 1, 2, 4, 5}));
  EXPECT_THROW(q.append(1), std::logic_error);  // already queued
}

TEST(LlmBlockHash, ChainedOverFullBlocksOnly) {
  std::vector<BlockHash> h;
  llm::extend_block_hashes(h, range(0, 47), 16);
  EXPECT_EQ(h.size(), 2u);  // the partial third block has no hash
  std::vector<BlockHash> incremental;
  std::vector<TokenId> toks;
  for (int i = 0; i < 48; ++i) {
    toks.push_back(i);
    llm::extend_block_hashes(incremental, toks, 16);
  }
  std::vector<BlockHash> full;
  llm::extend_block_hashes(full, toks, 16);
  EXPECT_EQ(incremental, full);
  EXPECT_EQ(std::vector<BlockHash>(full.begin(), full.begin() + 2), h);
  // Same tokens, different parent: different hash (the chain is what makes a prefix a prefix).
  const std::vector<TokenId> block(16, 7);
  EXPECT_NE(llm::hash_block_tokens(llm::kRootHash, block.data(), 16), llm::hash_block_tokens(full[0], block.data(), 16));
}

// ---------------------------------------------------------------- ports of test_prefix_caching.py

namespace {

void run_test_prefill(FreeOrder order, const std::vector<int>& order_after_free, int req2_block,
                      const std::vector<int>& req3_blocks) {
  KvCacheManager m(11, 16, true, 8192, order);
  const auto common = common_48();
  TestReq req0(0, concat(common, std::vector<TokenId>(7, 3)));
  llm::ComputedBlocks hit;
  auto b0 = lookup_and_allocate(m, req0, 55, &hit);
  EXPECT_EQ(req0.hashes.size(), 3u);
  EXPECT_TRUE(hit.blocks.empty());
  EXPECT_EQ(hit.num_tokens, 0);
  ASSERT_TRUE(b0);
  EXPECT_EQ(*b0, (std::vector<int>{1, 2, 3, 4}));
  // Full blocks carry the chained hash, the partial one does not.
  BlockHash parent = llm::kRootHash;
  for (int id = 1; id <= 3; ++id) {
    const BlockHash h = llm::hash_block_tokens(parent, req0.tokens.data() + (id - 1) * 16, 16);
    EXPECT_TRUE(m.pool().block(id).has_hash);
    EXPECT_EQ(m.pool().block(id).hash, h);
    EXPECT_EQ(m.pool().block(id).ref_cnt, 1);
    parent = h;
  }
  EXPECT_FALSE(m.pool().block(4).has_hash);
  EXPECT_EQ(m.pool().block(4).ref_cnt, 1);

  // Hit on the common prefix while its blocks are still in use.
  TestReq req1(1, concat(common, std::vector<TokenId>(5, 3)));
  auto b1 = lookup_and_allocate(m, req1, 53 - 48, &hit);
  EXPECT_EQ(hit.blocks, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(hit.num_tokens, 48);
  ASSERT_TRUE(b1);
  EXPECT_EQ(*b1, (std::vector<int>{5}));
  for (int id : hit.blocks) EXPECT_EQ(m.pool().block(id).ref_cnt, 2);
  EXPECT_EQ(m.pool().num_free_blocks(), 5);

  m.free(0);
  m.free(1);
  EXPECT_EQ(m.pool().num_free_blocks(), 10);
  EXPECT_EQ(m.pool().free_queue().ids_in_order(), order_after_free);

  // Hit on the common prefix after its blocks were freed (still cached).
  TestReq req2(2, concat(common, std::vector<TokenId>(6, 3)));
  auto b2 = lookup_and_allocate(m, req2, 53 - 48, &hit);
  EXPECT_EQ(hit.blocks, (std::vector<int>{1, 2, 3}));
  ASSERT_TRUE(b2);
  EXPECT_EQ(*b2, (std::vector<int>{req2_block}));
  EXPECT_EQ(m.pool().num_free_blocks(), 6);
  for (int id : m.pool().free_queue().ids_in_order()) EXPECT_EQ(m.pool().block(id).ref_cnt, 0);
  m.free(2);

  // Miss and eviction: the allocation order is the eviction order.
  TestReq req3(3, std::vector<TokenId>(160, 99));
  auto b3 = lookup_and_allocate(m, req3, 160, &hit);
  EXPECT_TRUE(hit.blocks.empty());
  ASSERT_TRUE(b3);
  EXPECT_EQ(*b3, req3_blocks);
  EXPECT_EQ(m.pool().num_free_blocks(), 0);
  EXPECT_TRUE(m.pool().free_queue().ids_in_order().empty());
}

}  // namespace

// Port of test_prefill @717aebb (appending free order).
TEST(LlmPrefixCaching, TestPrefillAppendAllOrder) {
  run_test_prefill(FreeOrder::kAppendAll, {6, 7, 8, 9, 10, 4, 5, 3, 2, 1}, 6, {7, 8, 9, 10, 4, 5, 6, 3, 2, 1});
}

// Port of test_prefill, newer stored version (unhashed blocks prepended for immediate reuse).
TEST(LlmPrefixCaching, TestPrefillFreshFirstOrder) {
  run_test_prefill(FreeOrder::kFreshFirst, {5, 4, 6, 7, 8, 9, 10, 3, 2, 1}, 5, {5, 4, 6, 7, 8, 9, 10, 3, 2, 1});
}

// Port of test_decode.
TEST(LlmPrefixCaching, TestDecode) {
  KvCacheManager m(11, 16, true, 8192);
  TestReq req0(0, concat(common_48(), std::vector<TokenId>(7, 3)));
  auto b = lookup_and_allocate(m, req0, 55);
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, (std::vector<int>{1, 2, 3, 4}));
  // Append slots without a new block.
  req0.num_computed = 55;
  req0.append(8, 4);
  auto nb = m.allocate_slots(req0.view(), 4);
  ASSERT_TRUE(nb);
  EXPECT_TRUE(nb->empty());
  EXPECT_FALSE(m.pool().block(m.blocks_of(0).back()).has_hash);
  // 9 tokens fill block 4, 10 more need a new block.
  req0.num_computed = 59;
  req0.append(7, 19);
  nb = m.allocate_slots(req0.view(), 19);
  ASSERT_TRUE(nb);
  EXPECT_EQ(nb->size(), 1u);
  const auto& blocks = m.blocks_of(0);
  EXPECT_TRUE(m.pool().block(blocks[blocks.size() - 2]).has_hash);
  EXPECT_FALSE(m.pool().block(blocks.back()).has_hash);
}

namespace {
void run_test_evict(FreeOrder order, const std::vector<int>& order_after_free, int req2_block) {
  KvCacheManager m(11, 16, true, 8192, order);
  const int last = 5 * 16 + 7;
  TestReq req0(0, range(0, last));
  auto b0 = lookup_and_allocate(m, req0, last);
  ASSERT_TRUE(b0);
  EXPECT_EQ(b0->size(), 6u);  // 5 full + 1 partial
  TestReq req1(1, range(last, last + 48));
  auto b1 = lookup_and_allocate(m, req1, 48);
  ASSERT_TRUE(b1);
  EXPECT_EQ(b1->size(), 3u);
  EXPECT_EQ(m.pool().num_free_blocks(), 1);
  m.free(0);
  m.free(1);
  EXPECT_EQ(m.pool().num_free_blocks(), 10);
  EXPECT_EQ(m.pool().free_queue().ids_in_order(), order_after_free);
  // Touch the first two blocks.
  TestReq req2(2, range(0, 2 * 16 + 3));
  llm::ComputedBlocks hit;
  auto b2 = lookup_and_allocate(m, req2, 3, &hit);
  EXPECT_EQ(hit.blocks, (std::vector<int>{1, 2}));
  EXPECT_EQ(hit.num_tokens, 32);
  ASSERT_TRUE(b2);
  EXPECT_EQ(*b2, (std::vector<int>{req2_block}));
  EXPECT_EQ(m.pool().num_free_blocks(), 7);
}
}  // namespace

// Port of test_evict @717aebb.
TEST(LlmPrefixCaching, TestEvictAppendAllOrder) { run_test_evict(FreeOrder::kAppendAll, {10, 6, 5, 4, 3, 2, 1, 9, 8, 7}, 10); }

// test_evict under the code as read (expectation derived by us: partial block 6 goes first).
TEST(LlmPrefixCaching, TestEvictFreshFirstOrder) { run_test_evict(FreeOrder::kFreshFirst, {6, 10, 5, 4, 3, 2, 1, 9, 8, 7}, 6); }

// Port of test_hash_block_correct_reuse.
TEST(LlmPrefixCaching, TestHashBlockCorrectReuse) {
  KvCacheManager m(2, 16, true, 8192);
  TestReq r0(0, range(0, 16));
  auto b = lookup_and_allocate(m, r0, 16);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->size(), 1u);
  m.free(0);
  TestReq r1(1, range(0, 15));
  llm::ComputedBlocks hit;
  b = lookup_and_allocate(m, r1, 15, &hit);
  EXPECT_TRUE(hit.blocks.empty());
  ASSERT_TRUE(b);
  ASSERT_EQ(b->size(), 1u);
  EXPECT_FALSE(m.pool().block((*b)[0]).has_hash);  // evicted on reuse
  EXPECT_EQ(m.pool().num_evictions(), 1);
}

// Port of test_computed_blocks_not_evicted.
TEST(LlmPrefixCaching, TestComputedBlocksNotEvicted) {
  for (FreeOrder order : {FreeOrder::kAppendAll, FreeOrder::kFreshFirst}) {
    KvCacheManager m(3, 16, true, 8192, order);
    TestReq r0(0, range(0, 16));
    auto b = lookup_and_allocate(m, r0, 16);
    ASSERT_TRUE(b);
    EXPECT_EQ(*b, (std::vector<int>{1}));
    TestReq r1(1, range(16, 32));
    b = lookup_and_allocate(m, r1, 16);
    ASSERT_TRUE(b);
    EXPECT_EQ(*b, (std::vector<int>{2}));
    m.free(0);
    m.free(1);
    // A hit on block 1 must evict the other cached block, not the hit.
    TestReq r2(2, range(0, 32));
    llm::ComputedBlocks hit;
    b = lookup_and_allocate(m, r2, 16, &hit);
    EXPECT_EQ(hit.blocks, (std::vector<int>{1}));
    EXPECT_EQ(hit.num_tokens, 16);
    ASSERT_TRUE(b);
    EXPECT_EQ(*b, (std::vector<int>{2}));
  }
}

// Port of test_basic_prefix_caching_disabled.
TEST(LlmPrefixCaching, TestBasicPrefixCachingDisabled) {
  KvCacheManager m(5, 4, false, 8192);
  TestReq r1(1, range(0, 10), 4);
  llm::ComputedBlocks hit;
  auto b = lookup_and_allocate(m, r1, 10, &hit);
  EXPECT_EQ(hit.num_tokens, 0);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->size(), 3u);
  m.free(1);
  TestReq r2(2, range(0, 16), 4);  // shares a prefix, but no caching
  b = lookup_and_allocate(m, r2, 16, &hit);
  EXPECT_TRUE(hit.blocks.empty());
  ASSERT_TRUE(b);
  EXPECT_EQ(b->size(), 4u);
  TestReq r3(3, range(0, 4), 4);
  b = lookup_and_allocate(m, r3, 4, &hit);
  EXPECT_FALSE(b.has_value());  // no blocks left
  for (int id = 1; id <= 4; ++id) EXPECT_FALSE(m.pool().block(id).has_hash);
}

// Port of test_cache_blocks.
TEST(LlmPrefixCaching, TestCacheBlocks) {
  llm::BlockPool pool(5, true);
  TestReq req(0, range(0, 14), 4);  // blocks [0..3] [4..7] [8..11] [12,13]
  ASSERT_EQ(req.hashes.size(), 3u);
  pool.cache_full_blocks(req.hashes, {1, 2}, 0, 2);
  EXPECT_EQ(pool.num_cached_hashes(), 2);
  EXPECT_TRUE(pool.block(1).has_hash && pool.block(2).has_hash);
  pool.cache_full_blocks(req.hashes, {1, 2, 3}, 2, 3);
  EXPECT_EQ(pool.num_cached_hashes(), 3);
  EXPECT_TRUE(pool.block(1).has_hash);
  EXPECT_EQ(pool.cached_block(req.hashes[2]).value_or(-1), 3);
}

// Port of test_prefill_not_enough_free_blocks_with_computed_blocks.
TEST(LlmPrefixCaching, TestPrefillNotEnoughFreeBlocksWithComputedBlocks) {
  KvCacheManager m(11, 16, true, 8192);
  const auto common = common_48();
  TestReq r0(0, common);
  ASSERT_TRUE(lookup_and_allocate(m, r0, 48));
  const std::vector<int> part0 = m.blocks_of(0);
  TestReq r1(1, concat(common, common));
  llm::ComputedBlocks hit;
  ASSERT_TRUE(lookup_and_allocate(m, r1, 48, &hit));
  EXPECT_EQ(hit.blocks, part0);
  EXPECT_EQ(hit.num_tokens, 48);
  const std::vector<int> part1 = m.blocks_of(1);
  m.free(1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(m.pool().block(part1[static_cast<std::size_t>(i)]).ref_cnt, 1);
  for (int i = 3; i < 6; ++i) EXPECT_EQ(m.pool().block(part1[static_cast<std::size_t>(i)]).ref_cnt, 0);
  TestReq r2(2, std::vector<TokenId>(32, 7));
  ASSERT_TRUE(lookup_and_allocate(m, r2, 32, &hit));
  EXPECT_EQ(m.pool().num_free_blocks(), 5);
  // Six blocks hit, three of them free (evictable): 3 new + 3 evictable = 6 > 5 free.
  TestReq r3(3, concat(concat(common, common), common));
  hit = m.get_computed_blocks(r3.view());
  EXPECT_EQ(hit.blocks, part1);
  EXPECT_EQ(hit.num_tokens, 96);
  EXPECT_FALSE(m.allocate_slots(r3.view(), 48, hit.num_tokens, &hit.blocks).has_value());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(m.pool().block(part1[static_cast<std::size_t>(i)]).ref_cnt, 1);
  for (int i = 3; i < 6; ++i) EXPECT_EQ(m.pool().block(part1[static_cast<std::size_t>(i)]).ref_cnt, 0);
  EXPECT_FALSE(m.has_blocks(3));
}

// Port of test_reset_prefix_cache.
TEST(LlmPrefixCaching, TestResetPrefixCache) {
  KvCacheManager m(11, 16, true, 8192);
  const auto common = common_48();
  TestReq r0(0, concat(common, std::vector<TokenId>(7, 3)));
  auto b = m.allocate_slots(r0.view(), 55);
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, (std::vector<int>{1, 2, 3, 4}));
  TestReq r1(1, concat(common, std::vector<TokenId>(7, 4)));
  llm::ComputedBlocks hit;
  b = lookup_and_allocate(m, r1, 7, &hit);
  EXPECT_EQ(hit.blocks.size(), 3u);
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, (std::vector<int>{5}));
  EXPECT_FALSE(m.reset_prefix_cache());
  EXPECT_GT(m.pool().num_cached_hashes(), 0);
  m.free(0);
  m.free(1);
  EXPECT_TRUE(m.reset_prefix_cache());
  EXPECT_EQ(m.pool().num_cached_hashes(), 0);
  for (int id = 0; id < 11; ++id) EXPECT_FALSE(m.pool().block(id).has_hash);
}

// After the idea of _test_partial_request_hit (full attention only): dropping one hash from
// the cache cuts the hit at that block, because the hashes are chained.
TEST(LlmPrefixCaching, PartialRequestHitAfterEviction) {
  KvCacheManager m(21, 16, true, 8192);
  const auto tokens = concat(common_48(), std::vector<TokenId>(5, 3));
  TestReq r0(0, tokens);
  ASSERT_TRUE(lookup_and_allocate(m, r0, static_cast<int>(tokens.size())));
  m.free(0);
  TestReq probe(1, tokens);
  EXPECT_EQ(m.get_computed_blocks(probe.view()).num_tokens, 48);
  m.pool_for_test().evict_hash_for_test(r0.hashes[2]);
  EXPECT_EQ(m.get_computed_blocks(probe.view()).num_tokens, 32);
  m.pool_for_test().evict_hash_for_test(r0.hashes[0]);
  EXPECT_EQ(m.get_computed_blocks(probe.view()).num_tokens, 0);  // block 1 still cached, unreachable
}

// The hit is capped at num_tokens - 1: a fully cached, block-aligned prompt recomputes its
// whole last block (comment in kv_cache_manager.get_computed_blocks).
TEST(LlmPrefixCaching, FullHitRecomputesLastBlock) {
  KvCacheManager m(11, 16, true, 8192);
  TestReq r0(0, common_48());
  ASSERT_TRUE(lookup_and_allocate(m, r0, 48));
  TestReq r1(1, common_48());
  const auto hit = m.get_computed_blocks(r1.view());
  EXPECT_EQ(hit.num_tokens, 32);  // not 47
  EXPECT_EQ(m.stats().requests, 2);
  EXPECT_EQ(m.stats().queries, 96);
  EXPECT_EQ(m.stats().hits, 32);
}

TEST(LlmPrefixCaching, CommonPrefixBlocksCountsSharedLeadingBlocks) {
  KvCacheManager m(21, 16, true, 8192);
  TestReq a(0, concat(common_48(), std::vector<TokenId>(3, 9)));
  TestReq b(1, concat(common_48(), std::vector<TokenId>(4, 8)));
  ASSERT_TRUE(lookup_and_allocate(m, a, 51));
  ASSERT_TRUE(lookup_and_allocate(m, b, 4));  // 48 tokens hit, 4 new
  EXPECT_EQ(m.num_common_prefix_blocks(0), 3);
  m.free(1);
  EXPECT_EQ(m.num_common_prefix_blocks(0), 4);  // alone: all of its blocks are "common"
}

TEST(LlmBlockPool, NullBlockIsNeverHandedOutOrFreed) {
  llm::BlockPool pool(4, true);
  EXPECT_EQ(pool.num_free_blocks(), 3);
  EXPECT_TRUE(pool.block(0).is_null);
  const auto got = pool.get_new_blocks(3);
  EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
  EXPECT_THROW(pool.get_new_blocks(1), std::runtime_error);
  pool.free_blocks({0, 3, 2, 1});  // the null block is skipped
  EXPECT_EQ(pool.num_free_blocks(), 3);
  EXPECT_THROW(pool.free_blocks({1}), std::logic_error);  // double free
}
