// Scalebook — vLLM V1 engine scheduler (continuous batching over a paged KV cache), modelled
// from the code (UI-free, deterministic).
//
// SOURCE READ. The repository snapshot was too large to fetch, so files were read from a stored
// index of github.com/vllm-project/vllm, each at the commit the index held for it:
//   vllm/v1/core/sched/scheduler.py               @ 00024d314514900f361ad072af6931e403b7f589
//     (read in full; the constructor of a newer version, 003df2961dd8830c317a61f9745ccd557da9fa06,
//     was also read: it adds max_num_scheduled_tokens and a KV watermark, not modelled)
//   vllm/v1/core/kv_cache_manager.py              @ ace980e6de0540f49b0c63248437a1a7807590c1
//   vllm/v1/core/block_pool.py                    @ c59cb7941357443da7c5eef75cfa8697d683d228
//   vllm/v1/core/single_type_kv_cache_manager.py  @ 129ab7c60cbb8eb11e875373e67f7e521b74aa30
//   vllm/v1/core/kv_cache_utils.py                @ bbf906a88ba1a39104884c88c9811a4f968e4659
//   vllm/v1/core/sched/request_queue.py           @ 9feb38cacfe75c77aa5f45f99d135c02702db7e0
//   vllm/v1/core/sched/utils.py (check_stop)      @ 6110ea2910f2b99edfec706a8f72ba827d9b7631
//   vllm/config/scheduler.py                      @ 1f8758d584e8f599219d75adf658e182ed809a43
//   vllm/config/cache.py                          @ c1d86421174a87056edc90a41dc9942391509e84
//   tests/v1/core/test_scheduler.py               @ 619e4b31da7791a6ea4f6724fe45b54556b5a8fa
//   tests/v1/core/utils.py                        @ 9535694049e4dc415f54d243de119bf0fbcfda0b
//   tests/v1/core/test_prefix_caching.py          @ 717aebb008de838f4bbbb84a66d254f0f6c8c9bb
// The files are not all from one commit; where they disagree we follow scheduler.py and
// block_pool.py as read (see DOCS vs CODE). Provenance caveat: the index also holds fork
// versions under the same path (a block_pool.py with "KVCacheBlockBundle", a request_queue.py
// with an SJF policy that config/scheduler.py's Literal["fcfs", "priority"] does not allow); we
// used only what mainline's config admits, and the commits above are what the index reported.
// Written from the behaviour of that code; no code or comments copied. Paper: Kwon et al.,
// "Efficient Memory Management for Large Language Model Serving with PagedAttention", SOSP 2023.
//
// WHAT IS MODELLED (one engine step = schedule() + a model step + update_from_output())
//  * No prefill/decode phases: each request has num_computed_tokens and num_tokens (prompt +
//    outputs so far); a step gives each request tokens so the first catches up with the second.
//  * schedule(): (1) RUNNING requests in list order: want = num_tokens - num_computed, capped by
//    long_prefill_token_threshold (if > 0), by the remaining token budget
//    (max_num_batched_tokens) and by max_model_len - 1 - num_computed; 0 tokens -> skip (not
//    break). allocate_slots; on failure preempt a victim and retry: FCFS victim = the LAST entry
//    of the running list (running.pop()); PRIORITY victim = max (priority, arrival) over running,
//    un-scheduling it if it was already scheduled this step. If the victim is the request itself,
//    stop scheduling running requests. (2) Only if nothing was preempted this step: WAITING
//    requests in queue order while budget > 0 and len(running) < max_num_seqs: prefix-cache
//    lookup (only when num_computed == 0), want = num_tokens - hit, threshold cap, then if
//    chunked prefill is off and want > budget -> stop; else want = min(want, budget);
//    allocate_slots (with the hit blocks); on failure stop (head-of-line, strict FCFS).
//    Admitted requests go to the END of the running list. (3) num_computed += scheduled.
//  * Preemption is by recompute: free all blocks, num_computed = 0, status PREEMPTED, back to
//    the FRONT of the waiting queue (FCFS deque appendleft; PRIORITY: plain heap insert). Its
//    output tokens are kept, so on resume prompt + outputs are prefilled again (prefix cache
//    permitting, cheaply).
//  * update_from_output(): a request gets a sampled token only if its chunk reached the end of
//    its tokens (partial prefills sample nothing). check_stop: finished (LENGTH_CAPPED) when
//    num_tokens >= max_model_len or outputs >= max_tokens. Finished requests free their blocks
//    at once and are reported as finished in the next SchedulerOutput.
//  * Waiting queue: FCFS deque, or PRIORITY ordered by (priority, arrival_time) — ties broken
//    here by request id.
//  * KV cache: see sim/llm/kv_cache.h (null block, free queue, chained full-block hashes,
//    ref counts, lazy LRU eviction, hit capped at num_tokens - 1).
//  * reset_prefix_cache(reset_running_requests): preempt every running request (back to front,
//    so they re-enter the waiting queue in their original order), then reset.
//
// WHAT IS NOT MODELLED
//  * GPU kernels and real timing (the step cost model in sim/llm/engine.h is ours, NOT vLLM's),
//    speculative decoding / lookahead slots / eagle, async scheduling and output placeholders,
//    pipeline parallelism and concurrent in-flight batches (except as tests can emulate),
//    LoRA (max_loras), multimodal encoder inputs and the encoder cache, encoder-decoder models,
//    structured output (WAITING_FOR_FSM), KV connectors / P-D disaggregation / KV offloading /
//    WAITING_FOR_REMOTE_KVS, streaming-input sessions, pause states, hybrid KV cache (sliding
//    window, chunked local, Mamba, several KV cache groups), DCP/PCP, deterministic prefix-cache
//    splitting, watermark, cascade attention (only the common-prefix count is exposed),
//    prompt logprobs (which skip the prefix cache), pooling models, EOS and stop tokens (every
//    request runs to max_tokens), block-hash extra keys (LoRA id, mm hashes, cache salt), KV
//    events, the API server, detokenization and the network.
//
// DOCS vs CODE (we follow the code as read)
//  * Free-block order. The FreeKVCacheBlockQueue docstring says a freed block "will be appended
//    back with the eviction order" (LRU at the front, chain tail first), and
//    single_type_kv_cache_manager.free says blocks are freed in reverse so tail blocks go first.
//    block_pool.free_blocks as read puts freed blocks WITHOUT a hash at the FRONT (reused first)
//    and only hashed ones at the back. A newer stored kv_cache_utils.py that already has the
//    prepend_n this needs still carries the "appended back" docstring: stale docs in the file.
//    The stored test_prefix_caching.py versions disagree accordingly ([6..10,4,5,3,2,1] vs
//    [5,4,6..10,3,2,1]); FreeOrder selects either, default = the code as read.
//  * Swapping. CacheConfig still has swap_space ("CPU swap space per GPU", default 4 GiB) and the
//    paper describes swap and recompute; the V1 scheduler only recomputes.
//  * "Preempt the lowest-priority request": under FCFS that is running.pop(), the most recently
//    ADMITTED request, which after a resume can be an old one, not the latest arrival.
//  * A step that preempted anything admits no waiting request at all (not in any docstring).
//  * long_prefill_token_threshold is documented as "a request is considered long if the prompt is
//    longer than this"; in scheduler.py it is a per-request, per-step cap on scheduled tokens
//    (running and waiting alike), and max_num_partial_prefills / max_long_partial_prefills are not
//    read by scheduler.py at all (only config validation, which sets the threshold to 4% of
//    max_model_len when partial prefills > 1 and it is 0).
//  * SchedulerConfig defaults (max_num_batched_tokens 2048, max_num_seqs 128) are, per their own
//    docstrings, "mainly for convenience when testing"; EngineArgs sets the real ones (not read).
//    CacheConfig.block_size has no static default (the platform sets it; 16 on CUDA is assumed).
//  * A full prefix hit still recomputes a whole block when the prompt length is a multiple of
//    block_size (hit capped at num_tokens - 1, hits are whole blocks) — the code says so in a
//    comment; the docs' "reuses the KV cache of the prefix" suggests otherwise.
//  * Prefix-cache stats count every lookup, including a waiting request retried each step, so
//    the reported hit rate is per lookup, not per admitted request (kv_cache_manager.py as read).
//    Our per-step metric prefix_hit_tokens counts only admitted requests.
//
// INVARIANTS (the first three are checked in every schedule(), which throws std::logic_error
// if one fails; the last is checked by the tests): tokens scheduled per step <=
// max_num_batched_tokens; len(running) <= max_num_seqs; used blocks <= num_gpu_blocks - 1; every
// finished request has exactly min(max_tokens, max_model_len - prompt) outputs.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "sim/llm/kv_cache.h"

namespace scalebook::sim::llm {

enum class Policy { kFcfs, kPriority };

enum class RequestStatus {
  kWaiting,
  kRunning,
  kPreempted,
  kFinishedLengthCapped,
  kFinishedAborted,
};

inline bool is_finished(RequestStatus s) {
  return s == RequestStatus::kFinishedLengthCapped || s == RequestStatus::kFinishedAborted;
}

const char* to_string(RequestStatus s);

// Zero/default = vLLM's default where it has one (see DOCS vs CODE).
struct SchedulerConfig {
  int max_num_seqs = 128;               // SchedulerConfig.DEFAULT_MAX_NUM_SEQS
  int max_num_batched_tokens = 2048;    // SchedulerConfig.DEFAULT_MAX_NUM_BATCHED_TOKENS
  int long_prefill_token_threshold = 0;  // 0 = off
  bool enable_chunked_prefill = true;
  int max_model_len = 8192;
  int block_size = 16;
  int num_gpu_blocks = 4096;            // includes the null block
  bool enable_prefix_caching = true;    // "Enabled by default for V1"
  Policy policy = Policy::kFcfs;
  FreeOrder free_order = FreeOrder::kFreshFirst;
};

struct Request {
  RequestId id = 0;
  std::int64_t arrival_us = 0;
  int priority = 0;              // lower = sooner (PRIORITY policy only)
  std::vector<TokenId> tokens;   // prompt then outputs (vLLM: all_token_ids)
  int num_prompt_tokens = 0;
  int max_tokens = 0;
  int num_computed_tokens = 0;
  int num_cached_tokens = -1;    // prefix-cache hit at first admission (-1 = not yet)
  int num_preemptions = 0;
  RequestStatus status = RequestStatus::kWaiting;
  std::vector<BlockHash> block_hashes;  // full blocks of `tokens`

  int num_tokens() const { return static_cast<int>(tokens.size()); }
  int num_output_tokens() const { return num_tokens() - num_prompt_tokens; }
};

struct ScheduledChunk {
  RequestId id = 0;
  int num_tokens = 0;
  int num_computed_before = 0;  // KV already present when the step starts (incl. prefix hit)
  int prefix_hit_tokens = 0;    // cache hit found when admitted in this step
  bool is_new = false;          // first admission
  bool is_resumed = false;      // admitted again after a preemption
  bool samples = false;         // reaches the end of its tokens -> produces one output token
  bool is_decode = false;       // a one-token step of a request that already has outputs
};

struct SchedulerOutput {
  std::vector<ScheduledChunk> scheduled;  // running requests first, then admitted ones
  int total_num_scheduled_tokens = 0;
  std::vector<RequestId> new_reqs;
  std::vector<RequestId> resumed_reqs;
  std::vector<RequestId> running_reqs;   // already-running requests scheduled this step
  std::vector<RequestId> preempted;
  std::vector<RequestId> finished_since_last;
  int num_common_prefix_blocks = 0;

  int tokens_for(RequestId id) const;     // 0 if not scheduled
  const ScheduledChunk* chunk(RequestId id) const;
};

class Scheduler {
 public:
  explicit Scheduler(const SchedulerConfig& cfg);

  // Returns false (and ignores it) for a duplicate id or an empty prompt.
  bool add_request(RequestId id, std::int64_t arrival_us, std::vector<TokenId> prompt, int max_tokens,
                   int priority = 0);
  SchedulerOutput schedule();
  // `sampled`: the token each request produced in that step (only requests whose chunk
  // `samples`). Returns the requests that finished, as their final state.
  std::vector<Request> update_from_output(const SchedulerOutput& out, const std::map<RequestId, TokenId>& sampled);
  // Abort from outside (client went away).
  bool finish_request(RequestId id);
  bool reset_prefix_cache(bool reset_running_requests = false);

  int num_unfinished() const { return static_cast<int>(running_.size() + waiting_.size()); }
  bool has_unfinished() const { return num_unfinished() > 0; }
  const std::vector<RequestId>& running() const { return running_; }
  std::vector<RequestId> waiting() const { return {waiting_.begin(), waiting_.end()}; }
  const Request* find(RequestId id) const;
  const Request& request(RequestId id) const;
  const KvCacheManager& kv() const { return kv_; }
  KvCacheManager& kv_for_test() { return kv_; }
  const SchedulerConfig& config() const { return cfg_; }
  std::int64_t total_preemptions() const { return total_preemptions_; }

 private:
  KvRequestView view(const Request& r) const;
  void preempt(Request& r);
  void enqueue_waiting(RequestId id, bool front);
  void remove_from_running(RequestId id);
  void remove_from_waiting(RequestId id);
  bool waiting_before(const Request& a, const Request& b) const;

  SchedulerConfig cfg_;
  KvCacheManager kv_;
  std::map<RequestId, Request> requests_;
  std::vector<RequestId> running_;
  std::deque<RequestId> waiting_;
  std::vector<RequestId> finished_since_last_;
  std::int64_t total_preemptions_ = 0;
};

}  // namespace scalebook::sim::llm
