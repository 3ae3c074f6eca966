#include "sim/llm/kv_cache.h"

#include <algorithm>
#include <stdexcept>

#include "sim/core/rng.h"

namespace scalebook::sim::llm {

namespace {
int cdiv(int a, int b) { return (a + b - 1) / b; }
}  // namespace

BlockHash hash_block_tokens(BlockHash parent, const TokenId* tokens, int count) {
  std::uint64_t h = mix64(parent ^ 0xB10CB10CB10CB10Cull);
  for (int i = 0; i < count; ++i) {
    const std::uint64_t t = static_cast<std::uint32_t>(tokens[i]);
    h = mix64(h ^ (t | (static_cast<std::uint64_t>(i) << 32)));
  }
  return h;
}

void extend_block_hashes(std::vector<BlockHash>& hashes, const std::vector<TokenId>& tokens,
                         int block_size) {
  const std::size_t num_full = tokens.size() / static_cast<std::size_t>(block_size);
  while (hashes.size() < num_full) {
    const std::size_t i = hashes.size();
    const BlockHash parent = i == 0 ? kRootHash : hashes[i - 1];
    hashes.push_back(hash_block_tokens(parent, tokens.data() + i * static_cast<std::size_t>(block_size),
                                       block_size));
  }
}

// ---------------------------------------------------------------- FreeBlockQueue

FreeBlockQueue::FreeBlockQueue(int num_blocks)
    : prev_(static_cast<std::size_t>(num_blocks), -1),
      next_(static_cast<std::size_t>(num_blocks), -1),
      in_queue_(static_cast<std::size_t>(num_blocks), 1),
      size_(num_blocks) {
  for (int i = 0; i < num_blocks; ++i) {
    prev_[static_cast<std::size_t>(i)] = i - 1;
    next_[static_cast<std::size_t>(i)] = i + 1 < num_blocks ? i + 1 : -1;
  }
  head_ = num_blocks > 0 ? 0 : -1;
  tail_ = num_blocks > 0 ? num_blocks - 1 : -1;
}

int FreeBlockQueue::popleft() {
  if (head_ < 0) throw std::runtime_error("FreeBlockQueue: no free blocks");
  const int id = head_;
  remove(id);
  return id;
}

std::vector<int> FreeBlockQueue::popleft_n(int n) {
  if (n > size_) throw std::runtime_error("FreeBlockQueue: not enough free blocks");
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(popleft());
  return out;
}

void FreeBlockQueue::remove(int id) {
  const auto u = static_cast<std::size_t>(id);
  if (!in_queue_.at(u)) throw std::logic_error("FreeBlockQueue: block not in queue");
  const int p = prev_[u];
  const int n = next_[u];
  if (p >= 0) next_[static_cast<std::size_t>(p)] = n; else head_ = n;
  if (n >= 0) prev_[static_cast<std::size_t>(n)] = p; else tail_ = p;
  prev_[u] = next_[u] = -1;
  in_queue_[u] = 0;
  --size_;
}

void FreeBlockQueue::append(int id) {
  const auto u = static_cast<std::size_t>(id);
  if (in_queue_.at(u)) throw std::logic_error("FreeBlockQueue: block already queued");
  prev_[u] = tail_;
  next_[u] = -1;
  if (tail_ >= 0) next_[static_cast<std::size_t>(tail_)] = id; else head_ = id;
  tail_ = id;
  in_queue_[u] = 1;
  ++size_;
}

void FreeBlockQueue::append_n(const std::vector<int>& ids) {
  for (int id : ids) append(id);
}

void FreeBlockQueue::prepend_n(const std::vector<int>& ids) {
  // Insert back to front so that ids[0] ends up at the head.
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    const int id = *it;
    const auto u = static_cast<std::size_t>(id);
    if (in_queue_.at(u)) throw std::logic_error("FreeBlockQueue: block already queued");
    prev_[u] = -1;
    next_[u] = head_;
    if (head_ >= 0) prev_[static_cast<std::size_t>(head_)] = id; else tail_ = id;
    head_ = id;
    in_queue_[u] = 1;
    ++size_;
  }
}

std::vector<int> FreeBlockQueue::ids_in_order() const {
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(size_));
  for (int id = head_; id >= 0; id = next_[static_cast<std::size_t>(id)]) out.push_back(id);
  return out;
}

// ---------------------------------------------------------------- BlockPool

BlockPool::BlockPool(int num_gpu_blocks, bool enable_caching, FreeOrder free_order)
    : free_queue_(num_gpu_blocks), enable_caching_(enable_caching), free_order_(free_order) {
  if (num_gpu_blocks < 2) throw std::invalid_argument("BlockPool: need at least 2 blocks");
  blocks_.resize(static_cast<std::size_t>(num_gpu_blocks));
  for (int i = 0; i < num_gpu_blocks; ++i) blocks_[static_cast<std::size_t>(i)].id = i;
  const int null_id = free_queue_.popleft();  // block 0
  blocks_[static_cast<std::size_t>(null_id)].is_null = true;
}

int BlockPool::num_free_cached_blocks() const {
  int n = 0;
  for (int id : free_queue_.ids_in_order()) n += block(id).has_hash ? 1 : 0;
  return n;
}

std::optional<int> BlockPool::cached_block(BlockHash h) const {
  const auto it = cached_.find(h);
  if (it == cached_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

void BlockPool::cache_full_blocks(const std::vector<BlockHash>& hashes, const std::vector<int>& blocks,
                                  int num_cached, int num_full) {
  if (num_cached >= num_full) return;
  if (static_cast<int>(hashes.size()) < num_full || static_cast<int>(blocks.size()) < num_full)
    throw std::logic_error("cache_full_blocks: hashes/blocks shorter than num_full");
  for (int i = num_cached; i < num_full; ++i) {
    KvBlock& b = blocks_.at(static_cast<std::size_t>(blocks[static_cast<std::size_t>(i)]));
    if (b.is_null) continue;
    const BlockHash h = hashes[static_cast<std::size_t>(i)];
    if (b.has_hash) {
      // A prefix hit: already cached, and it must be the same content.
      if (b.hash != h) throw std::logic_error("cache_full_blocks: cached block has another hash");
      continue;
    }
    b.has_hash = true;
    b.hash = h;
    cached_[h].push_back(b.id);
  }
}

bool BlockPool::maybe_evict(int id) {
  KvBlock& b = blocks_.at(static_cast<std::size_t>(id));
  if (!b.has_hash) return false;
  const auto it = cached_.find(b.hash);
  if (it == cached_.end()) return false;
  auto& ids = it->second;
  const auto pos = std::find(ids.begin(), ids.end(), id);
  if (pos == ids.end()) return false;
  ids.erase(pos);
  if (ids.empty()) cached_.erase(it);
  b.has_hash = false;
  b.hash = 0;
  ++evictions_;
  return true;
}

std::vector<int> BlockPool::get_new_blocks(int n) {
  if (n > num_free_blocks()) throw std::runtime_error("BlockPool: cannot get that many free blocks");
  std::vector<int> ids = free_queue_.popleft_n(n);
  for (int id : ids) {
    if (enable_caching_) maybe_evict(id);
    KvBlock& b = blocks_[static_cast<std::size_t>(id)];
    if (b.ref_cnt != 0) throw std::logic_error("BlockPool: free block with ref_cnt != 0");
    b.ref_cnt = 1;
  }
  return ids;
}

void BlockPool::touch(const std::vector<int>& ids) {
  for (int id : ids) {
    KvBlock& b = blocks_.at(static_cast<std::size_t>(id));
    if (b.ref_cnt == 0 && !b.is_null) free_queue_.remove(id);
    ++b.ref_cnt;
  }
}

void BlockPool::free_blocks(const std::vector<int>& ordered_ids) {
  std::vector<int> freeable;
  for (int id : ordered_ids) {
    KvBlock& b = blocks_.at(static_cast<std::size_t>(id));
    if (b.is_null) continue;  // the null block's count is not maintained
    if (b.ref_cnt <= 0) throw std::logic_error("BlockPool: double free");
    --b.ref_cnt;
    if (b.ref_cnt == 0) freeable.push_back(id);
  }
  if (free_order_ == FreeOrder::kAppendAll) {
    free_queue_.append_n(freeable);
    return;
  }
  std::vector<int> fresh;
  std::vector<int> cached;
  for (int id : freeable) (block(id).has_hash ? cached : fresh).push_back(id);
  free_queue_.prepend_n(fresh);
  free_queue_.append_n(cached);
}

bool BlockPool::reset_prefix_cache() {
  if (num_used_blocks() != 0) return false;
  cached_.clear();
  for (auto& b : blocks_) {
    b.has_hash = false;
    b.hash = 0;
  }
  return true;
}

void BlockPool::evict_hash_for_test(BlockHash h) {
  const auto it = cached_.find(h);
  if (it == cached_.end()) return;
  for (int id : it->second) {
    blocks_[static_cast<std::size_t>(id)].has_hash = false;
    blocks_[static_cast<std::size_t>(id)].hash = 0;
  }
  cached_.erase(it);
}

// ---------------------------------------------------------------- KvCacheManager

KvCacheManager::KvCacheManager(int num_gpu_blocks, int block_size, bool enable_caching, int max_model_len,
                               FreeOrder free_order)
    : block_size_(block_size), max_model_len_(max_model_len), pool_(num_gpu_blocks, enable_caching, free_order) {
  if (block_size <= 0) throw std::invalid_argument("KvCacheManager: block_size must be > 0");
}

ComputedBlocks KvCacheManager::get_computed_blocks(const KvRequestView& req) {
  ComputedBlocks out;
  if (!pool_.enable_caching() || req.block_hashes == nullptr) return out;
  // The last token is always recomputed (its logits are needed), so at most num_tokens - 1.
  const int max_hit_tokens = req.num_tokens - 1;
  const int max_blocks = std::min(max_hit_tokens / block_size_, static_cast<int>(req.block_hashes->size()));
  for (int i = 0; i < max_blocks; ++i) {
    const auto hit = pool_.cached_block((*req.block_hashes)[static_cast<std::size_t>(i)]);
    if (!hit) break;  // hashes are chained: nothing after a miss can hit
    out.blocks.push_back(*hit);
  }
  out.num_tokens = static_cast<int>(out.blocks.size()) * block_size_;
  ++stats_.requests;
  stats_.queries += req.num_tokens;
  stats_.hits += out.num_tokens;
  return out;
}

std::optional<std::vector<int>> KvCacheManager::allocate_slots(const KvRequestView& req, int num_new_tokens,
                                                               int num_new_computed_tokens,
                                                               const std::vector<int>* new_computed_blocks) {
  if (num_new_tokens <= 0) throw std::invalid_argument("allocate_slots: num_new_tokens must be > 0");
  static const std::vector<int> kNone;
  const std::vector<int>& hits = new_computed_blocks != nullptr ? *new_computed_blocks : kNone;

  const int num_local_computed = req.num_computed_tokens + num_new_computed_tokens;
  const int total_computed = std::min(num_local_computed, max_model_len_);
  const int need_slots = std::min(total_computed + num_new_tokens, max_model_len_);
  const int required = cdiv(need_slots, block_size_);

  const auto it = req_to_blocks_.find(req.id);
  const int have = it == req_to_blocks_.end() ? 0 : static_cast<int>(it->second.size());
  const bool running = num_cached_block_.count(req.id) != 0;
  int to_allocate = 0;
  if (running) {
    if (!hits.empty()) throw std::logic_error("allocate_slots: a running request cannot get new hits");
    to_allocate = std::max(required - have, 0);
  } else {
    int evictable = 0;  // hit blocks sitting in the free queue are taken out of it too
    for (int id : hits) evictable += (pool_.block(id).ref_cnt == 0 && !pool_.block(id).is_null) ? 1 : 0;
    to_allocate = std::max(required - (static_cast<int>(hits.size()) + have), 0) + evictable;
  }
  if (to_allocate > pool_.num_free_blocks()) return std::nullopt;

  if (!hits.empty() && !running) {
    auto& rb = req_to_blocks_[req.id];
    if (!rb.empty()) throw std::logic_error("allocate_slots: hits for a request that has blocks");
    if (pool_.enable_caching()) pool_.touch(hits);
    rb.insert(rb.end(), hits.begin(), hits.end());
    num_cached_block_[req.id] = static_cast<int>(rb.size());
  }

  auto& rb = req_to_blocks_[req.id];
  std::vector<int> fresh;
  const int n = required - static_cast<int>(rb.size());
  if (n > 0) {
    fresh = pool_.get_new_blocks(n);
    rb.insert(rb.end(), fresh.begin(), fresh.end());
  }

  if (pool_.enable_caching() && req.block_hashes != nullptr) {
    // Only tokens that exist (not lookahead) can fill a block worth caching.
    const int num_to_cache = std::min(total_computed + num_new_tokens, req.num_tokens);
    const int num_full = num_to_cache / block_size_;
    const int cached = num_cached_blocks_of(req.id);
    if (cached < num_full) {
      pool_.cache_full_blocks(*req.block_hashes, rb, cached, num_full);
      num_cached_block_[req.id] = num_full;
    }
  }
  return fresh;
}

void KvCacheManager::free(RequestId id) {
  const auto it = req_to_blocks_.find(id);
  if (it != req_to_blocks_.end()) {
    std::vector<int> reversed(it->second.rbegin(), it->second.rend());  // tail blocks first
    req_to_blocks_.erase(it);
    pool_.free_blocks(reversed);
  }
  num_cached_block_.erase(id);
}

const std::vector<int>& KvCacheManager::blocks_of(RequestId id) const {
  static const std::vector<int> kNone;
  const auto it = req_to_blocks_.find(id);
  return it == req_to_blocks_.end() ? kNone : it->second;
}

int KvCacheManager::num_cached_blocks_of(RequestId id) const {
  const auto it = num_cached_block_.find(id);
  return it == num_cached_block_.end() ? 0 : it->second;
}

int KvCacheManager::num_common_prefix_blocks(RequestId id) const {
  const int holders = static_cast<int>(req_to_blocks_.size());
  int n = 0;
  for (int b : blocks_of(id)) {
    if (pool_.block(b).ref_cnt != holders) break;
    ++n;
  }
  return n;
}

}  // namespace scalebook::sim::llm
