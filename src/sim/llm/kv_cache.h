// Scalebook — vLLM V1 paged KV cache: block pool, free-block queue, prefix cache, KV cache
// manager for one full-attention group (UI-free, deterministic).
//
// Source read (vllm-project/vllm, stored index; each file at the commit the index held):
//   vllm/v1/core/block_pool.py                  @ c59cb7941357443da7c5eef75cfa8697d683d228
//   vllm/v1/core/kv_cache_manager.py            @ ace980e6de0540f49b0c63248437a1a7807590c1
//   vllm/v1/core/single_type_kv_cache_manager.py@ 129ab7c60cbb8eb11e875373e67f7e521b74aa30
//   vllm/v1/core/kv_cache_utils.py              @ bbf906a88ba1a39104884c88c9811a4f968e4659
//   tests/v1/core/test_prefix_caching.py        @ 717aebb008de838f4bbbb84a66d254f0f6c8c9bb (+ two
//     newer stored versions, see llm_kv_cache_test.cpp)
// Written from the behaviour of that code; no code or comments copied. The full model notes
// (what is / is not modelled, docs vs code) are in sim/llm/scheduler.h.
//
// WHAT THIS FILE MODELS
//  * Block 0 is the null block: taken out of the free queue at start, never handed out, never
//    counted as free. So a pool of N blocks has N-1 usable ones (as in vLLM).
//  * FreeBlockQueue: a doubly linked list over block ids, initially 1..N-1 in id order; O(1)
//    remove from the middle (a prefix hit on a free-but-cached block), popleft, append, prepend.
//  * Prefix cache: a map hash -> block ids holding that hash (duplicates are allowed, as in
//    vLLM: a block that fills up is cached even if an identical block is already cached, so
//    block tables stay append-only). A lookup returns the first one inserted.
//  * Block hashes are chained over FULL blocks only: hash_i = H(hash_{i-1}, tokens of block i).
//    H is splitmix64-based here (vLLM: sha256 / sha256_cbor of the same inputs). We assume no
//    collisions, as vLLM does with sha256. No "extra keys" (LoRA id, mm hashes, cache salt).
//  * Freeing (FreeOrder::kFreshFirst, the code at c59cb79): a request's blocks are released
//    tail-first; those whose ref count drops to 0 and that have NO hash go to the FRONT of the
//    queue (reused first), those WITH a hash go to the BACK (kept for prefix hits, evicted LRU).
//    FreeOrder::kAppendAll is the older behaviour (everything appended tail-first), which the
//    older stored test_prefix_caching.py asserts; both are ported as tests.
//  * Allocation pops from the front; a popped block that still has a hash is evicted from the
//    prefix cache at that moment (lazy eviction).
//  * KvCacheManager: req -> block list, number of blocks already cached per request,
//    get_computed_blocks (longest cached prefix, capped at num_tokens - 1 so the last token is
//    always recomputed to get logits), allocate_slots (count needed blocks incl. evictable hit
//    blocks, fail without side effects if not enough free, else touch hits, allocate, cache
//    newly full blocks), free (tail first).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace scalebook::sim::llm {

using TokenId = std::int32_t;
using RequestId = std::int64_t;
using BlockHash = std::uint64_t;

// Where freed blocks go in the free queue. See header comment.
enum class FreeOrder { kFreshFirst, kAppendAll };

// Chained hash of one full block (parent = previous block's hash, or kRootHash for the first).
BlockHash hash_block_tokens(BlockHash parent, const TokenId* tokens, int count);
inline constexpr BlockHash kRootHash = 0x5CA1EB00C0FFEE01ull;  // vLLM: NONE_HASH (random per process)

// Appends to `hashes` the hashes of every full block of `tokens` not hashed yet.
void extend_block_hashes(std::vector<BlockHash>& hashes, const std::vector<TokenId>& tokens,
                         int block_size);

struct KvBlock {
  int id = 0;
  int ref_cnt = 0;
  bool has_hash = false;
  BlockHash hash = 0;
  bool is_null = false;
};

// Doubly linked list of block ids with its links stored by value (so a copy of a pool is a
// full snapshot, as the house rules want).
class FreeBlockQueue {
 public:
  FreeBlockQueue() = default;
  explicit FreeBlockQueue(int num_blocks);  // links 0..num_blocks-1 in id order

  int size() const { return size_; }
  bool contains(int id) const { return in_queue_.at(static_cast<std::size_t>(id)) != 0; }
  int popleft();                        // returns the front block id; throws if empty
  std::vector<int> popleft_n(int n);
  void remove(int id);                  // O(1), from anywhere in the queue
  void append(int id);
  void append_n(const std::vector<int>& ids);
  void prepend_n(const std::vector<int>& ids);  // ids[0] becomes the new front
  std::vector<int> ids_in_order() const;        // front to back (tests / widget)

 private:
  std::vector<int> prev_;
  std::vector<int> next_;
  std::vector<char> in_queue_;
  int head_ = -1;
  int tail_ = -1;
  int size_ = 0;
};

class BlockPool {
 public:
  BlockPool(int num_gpu_blocks, bool enable_caching, FreeOrder free_order = FreeOrder::kFreshFirst);

  int num_gpu_blocks() const { return static_cast<int>(blocks_.size()); }
  int num_usable_blocks() const { return num_gpu_blocks() - 1; }  // minus the null block
  int num_free_blocks() const { return free_queue_.size(); }
  int num_used_blocks() const { return num_usable_blocks() - num_free_blocks(); }
  bool enable_caching() const { return enable_caching_; }
  const KvBlock& block(int id) const { return blocks_.at(static_cast<std::size_t>(id)); }
  const FreeBlockQueue& free_queue() const { return free_queue_; }
  // Number of hash keys in the prefix cache (vLLM: len(cached_block_hash_to_block)).
  int num_cached_hashes() const { return static_cast<int>(cached_.size()); }
  // Free blocks that still carry a hash (evictable prefix-cache content). O(free blocks).
  int num_free_cached_blocks() const;
  std::int64_t num_evictions() const { return evictions_; }

  std::optional<int> cached_block(BlockHash h) const;  // first block inserted with that hash
  // Marks blocks[num_cached, num_full) as cached under hashes[i]; blocks that already carry a
  // hash (prefix hits) are left as they are.
  void cache_full_blocks(const std::vector<BlockHash>& hashes, const std::vector<int>& blocks,
                         int num_cached, int num_full);
  std::vector<int> get_new_blocks(int n);  // throws if n > free
  void touch(const std::vector<int>& ids);
  void free_blocks(const std::vector<int>& ordered_ids);  // first = evicted first
  bool reset_prefix_cache();                               // false if any block is in use
  // Drops one hash from the cache (tests: emulate an eviction without allocating).
  void evict_hash_for_test(BlockHash h);

 private:
  bool maybe_evict(int id);

  std::vector<KvBlock> blocks_;
  FreeBlockQueue free_queue_;
  bool enable_caching_;
  FreeOrder free_order_;
  std::map<BlockHash, std::vector<int>> cached_;  // ordered map: deterministic everywhere
  std::int64_t evictions_ = 0;
};

// What the manager needs to know about a request.
struct KvRequestView {
  RequestId id = 0;
  int num_tokens = 0;           // prompt + output tokens so far
  int num_computed_tokens = 0;  // tokens whose KV is already in the cache
  const std::vector<BlockHash>* block_hashes = nullptr;  // hashes of full blocks
};

struct ComputedBlocks {
  std::vector<int> blocks;
  int num_tokens = 0;
};

// Lookup statistics as vLLM's PrefixCacheStats counts them: every lookup, in tokens.
struct PrefixCacheStats {
  std::int64_t requests = 0;
  std::int64_t queries = 0;  // tokens looked up
  std::int64_t hits = 0;     // tokens found
};

class KvCacheManager {
 public:
  KvCacheManager(int num_gpu_blocks, int block_size, bool enable_caching, int max_model_len,
                 FreeOrder free_order = FreeOrder::kFreshFirst);

  ComputedBlocks get_computed_blocks(const KvRequestView& req);
  // nullopt = not enough free blocks (nothing changed). Else the newly allocated blocks.
  std::optional<std::vector<int>> allocate_slots(const KvRequestView& req, int num_new_tokens,
                                                 int num_new_computed_tokens = 0,
                                                 const std::vector<int>* new_computed_blocks = nullptr);
  void free(RequestId id);
  bool reset_prefix_cache() { return pool_.reset_prefix_cache(); }

  const std::vector<int>& blocks_of(RequestId id) const;
  bool has_blocks(RequestId id) const { return req_to_blocks_.count(id) != 0; }
  int num_cached_blocks_of(RequestId id) const;
  int num_tracked_requests() const { return static_cast<int>(req_to_blocks_.size()); }
  // Leading blocks of `id` shared by every request holding blocks (cascade attention hint).
  int num_common_prefix_blocks(RequestId id) const;

  int block_size() const { return block_size_; }
  const BlockPool& pool() const { return pool_; }
  BlockPool& pool_for_test() { return pool_; }
  const PrefixCacheStats& stats() const { return stats_; }

 private:
  int block_size_;
  int max_model_len_;
  BlockPool pool_;
  std::map<RequestId, std::vector<int>> req_to_blocks_;
  std::map<RequestId, int> num_cached_block_;
  PrefixCacheStats stats_;
};

}  // namespace scalebook::sim::llm
