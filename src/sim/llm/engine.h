// Scalebook — an LLM serving engine around the vLLM V1 scheduler model: a virtual clock, a step
// cost model, per-request and per-step metrics, and a static-batching baseline.
//
// WHAT IS MODELLED
//  * ContinuousEngine: each step admits the requests that have arrived, calls
//    Scheduler::schedule(), charges the step's duration (cost model below), hands every request
//    whose chunk reached the end of its tokens one sampled token stamped with the step's END
//    time, and calls update_from_output(). Idle time jumps to the next arrival. The scheduler is
//    the vLLM V1 model in sim/llm/scheduler.h; the engine around it is ours.
//  * StaticEngine (baseline, not vLLM): FCFS; when idle it forms a batch of up to max_batch
//    waiting requests, reserving for each a CONTIGUOUS region of ceil((prompt + max_tokens) /
//    block_size) blocks (pre-paged systems reserve the maximum length, the fragmentation the
//    PagedAttention paper describes). One prefill step for the whole batch, then decode steps
//    until its LONGEST request finishes; nobody joins mid-batch, and (as the Orca paper
//    describes for such systems) a request that finishes early is returned only when its batch
//    ends, so its finish time is the batch's end. With pad_to_longest (default)
//    prompts are padded to the longest one and finished sequences keep costing their slot, as
//    in naive static batching; turn it off to give the baseline the benefit of the doubt.
//  * Cost model — OURS, NOT vLLM's, illustrative:
//      step_us = step_base_us + per_token_ns * (tokens in the batch) / 1000
//                + per_context_token_ns * (sum of context lengths of decode requests) / 1000
//    Integer arithmetic only. Defaults are napkin numbers for Llama-3-8B in BF16 on one
//    A100-SXM4-80GB (NVIDIA data sheet: 2,039 GB/s HBM2e, 312 TFLOP/s dense BF16):
//      step_base_us 8000      — reading 16.1 GB of weights once per step at 2.0 TB/s ≈ 7.9 ms
//      per_token_ns 100000    — 2 FLOP/param/token × 8.03e9 params at an ASSUMED 50% of peak
//                                ≈ 103 µs per token (prefill-bound)
//      per_context_token_ns 64 — KV of one token: 2 (K,V) × 32 layers × 8 KV heads × 128 dims
//                                × 2 bytes = 128 KiB, read at 2.0 TB/s ≈ 64 ns
//    The sum (rather than a roofline max) overstates small-to-medium batches; it is a teaching
//    model, not a predictor. Prefill attention cost and CPU overheads are not charged.
//  * Metrics: per request TTFT (first token time − arrival), mean and max inter-token gap,
//    end-to-end latency (last token − arrival), preemptions, prefix-cache hit; per step batch
//    size, prefill/decode counts, tokens, KV blocks used/free/free-but-cached, preemptions,
//    prefix-hit tokens, queue lengths; run summary (throughput = output tokens / makespan).
// WHAT IS NOT MODELLED
//  * Real GPU timing, CUDA graphs, tensor parallelism, the API server, streaming to clients,
//    request timeouts, a batching delay in the static baseline.
// The vLLM paper (Kwon et al., SOSP 2023) reports 2–4× throughput over FasterTransformer and
// Orca at the same latency. That is the paper's figure; this model does not claim to reproduce
// it (llm_engine_test prints the ratio our model gives on a stated workload).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "sim/llm/scheduler.h"
#include "sim/llm/workload.h"

namespace scalebook::sim::llm {

struct CostModel {
  std::int64_t step_base_us = 8000;
  std::int64_t per_token_ns = 100000;
  std::int64_t per_context_token_ns = 64;

  std::int64_t step_us(std::int64_t tokens, std::int64_t decode_context_tokens) const {
    return step_base_us + (per_token_ns * tokens + per_context_token_ns * decode_context_tokens) / 1000;
  }
};

struct EngineDesc {
  SchedulerConfig scheduler;
  CostModel cost;
};

struct StaticBatchingDesc {
  int max_batch = 0;           // 0 = scheduler.max_num_seqs
  bool pad_to_longest = true;
};

struct StepRecord {
  std::int64_t start_us = 0;
  std::int64_t duration_us = 0;
  int num_reqs = 0;            // requests given tokens this step (batch size)
  int num_prefill_reqs = 0;    // prompt (or recompute) chunks
  int num_decode_reqs = 0;
  int tokens = 0;
  std::int64_t decode_context_tokens = 0;
  int kv_used_blocks = 0;
  int kv_free_blocks = 0;
  int kv_free_cached_blocks = 0;  // free but still holding a prefix-cache hash
  int preemptions = 0;
  int prefix_hit_tokens = 0;
  int new_reqs = 0;
  int finished = 0;
  int running = 0;             // after the step
  int waiting = 0;
};

struct RequestMetrics {
  RequestId id = 0;
  std::int64_t arrival_us = 0;
  std::int64_t first_scheduled_us = -1;
  std::int64_t first_token_us = -1;
  std::int64_t finish_us = -1;
  int prompt_tokens = 0;
  int output_tokens = 0;
  int max_tokens = 0;
  int cached_tokens = 0;
  int preemptions = 0;
  std::int64_t ttft_us = -1;
  std::int64_t e2e_us = -1;
  std::int64_t mean_itl_us = 0;  // (last − first token) / (outputs − 1), integer
  std::int64_t max_itl_us = 0;
};

struct RunSummary {
  int num_requests = 0;
  int num_finished = 0;
  int num_rejected = 0;
  int steps = 0;
  std::int64_t makespan_us = 0;  // first arrival to last finish
  std::int64_t prompt_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t busy_us = 0;
  double throughput_tok_per_s = 0.0;  // output tokens / makespan (reporting only)
  double requests_per_s = 0.0;
  std::int64_t ttft_mean_us = 0, ttft_p50_us = 0, ttft_p99_us = 0;
  std::int64_t itl_mean_us = 0, itl_p99_us = 0;  // over every inter-token gap
  std::int64_t e2e_mean_us = 0, e2e_p50_us = 0, e2e_p99_us = 0;
  std::int64_t preemptions = 0;
  std::int64_t prefix_hit_tokens = 0;
  int max_batch = 0;
  double mean_batch = 0.0;
  int max_kv_used_blocks = 0;
};

struct RunResult {
  std::vector<RequestMetrics> requests;  // by id
  std::vector<StepRecord> steps;
  RunSummary summary;
  std::uint64_t digest = 0;  // FNV-1a over all of the above (integers only)
};

// The token the "model" samples: a fixed function of (request, position), never an EOS.
TokenId sampled_token(RequestId id, int output_index, int vocab_size = 32000);

// One request's share of the latest step, as both engines report it (what a view draws).
struct StepEntry {
  enum class Kind : std::uint8_t { Prefill, Decode, Padding };
  RequestId id = 0;
  Kind kind = Kind::Decode;
  int tokens = 0;          // tokens computed for it in the step (padding: the slot's cost)
  int prompt_tokens = 0;   // its prompt
  int computed_after = 0;  // its KV after the step (tokens)
  int outputs = 0;         // output tokens after the step
  int prefix_hit_tokens = 0;
  std::int64_t arrival_us = 0;
  bool sampled = false;    // produced one output token, stamped with the step's end time
  bool finished = false;   // returned at the step's end
};

// A static batch slot (its contiguous reservation).
struct StaticSlot {
  RequestId id = 0;
  std::int64_t arrival_us = 0;
  int prompt_tokens = 0;
  int max_outputs = 0;
  int outputs = 0;
  int reserved_blocks = 0;
};

// Requests given to an engine and not yet admitted, in (arrival_us, id) order; among equal
// keys, in the order they were given.
class ArrivalQueue {
 public:
  void add(RequestSpec r);
  bool empty() const { return q_.empty(); }
  std::size_t size() const { return q_.size(); }
  const RequestSpec& front() const { return q_.front(); }
  RequestSpec pop();
  bool due(std::int64_t now_us) const { return !q_.empty() && q_.front().arrival_us <= now_us; }
  std::deque<RequestSpec>::const_iterator begin() const { return q_.begin(); }
  std::deque<RequestSpec>::const_iterator end() const { return q_.end(); }

 private:
  std::deque<RequestSpec> q_;
};

// Both engines take their workload up front (the constructor; it may be empty, and then the
// clock starts at 0, else at the first arrival), and/or request by request as time goes on
// (add_request). The rule for add_request: arrivals stay ordered by (arrival_us, id), and a
// request is admitted at the start of the first step that starts at or after its arrival. A
// request added with an arrival time in the PAST (before now_us(), e.g. by a caller whose
// clock is inside the step under way) keeps that arrival time (its TTFT counts from it) and is
// admitted at the start of the next step, with every other past-due request, in (arrival, id)
// order. Adding the whole workload with add_request before the first step gives exactly the
// constructor's run (the same steps and result; step() makes one more idle jump at the start).
//
// step() may jump idle time to the next arrival, which is only right when no request can be
// added before it. A caller that adds requests as its own clock advances uses step_until(t):
// the same step, but an idle jump stops at t (and an idle engine's clock then reads t). It
// returns false when nothing more starts before t (the clock is at or past t, or the engine
// is done or stuck); a step that starts before t may end after it.
inline constexpr std::int64_t kNoTimeLimit = INT64_MAX;

// What both engines keep: the clock, the requests given and not yet admitted, the step
// records, the latest step's batch, and the per-request metrics result() summarises.
class EngineBase {
 public:
  void add_request(RequestSpec r);
  std::int64_t now_us() const { return now_; }
  const std::vector<StepRecord>& steps() const { return steps_; }
  // The latest step's batch request by request (empty before the first step; an idle jump
  // leaves it as it was). ContinuousEngine: SchedulerOutput::scheduled order; StaticEngine:
  // batch order.
  const std::vector<StepEntry>& last_batch() const { return last_batch_; }
  const ArrivalQueue& pending() const { return pending_; }  // given, not yet admitted
  int admitted() const { return admitted_; }                 // taken from pending (incl. rejected)
  int rejected() const { return rejected_; }
  // Off (before the first request): no per-request metrics or token times are kept, so
  // memory does not grow with the tokens generated; result() then has steps and counts only.
  void set_request_metrics(bool on) { per_request_metrics_ = on; }
  RunResult result() const;

 protected:
  EngineBase(const EngineDesc& desc, std::vector<RequestSpec> workload);

  EngineDesc desc_;
  ArrivalQueue pending_;
  int num_requests_ = 0;
  int admitted_ = 0;
  int rejected_ = 0;
  std::int64_t now_ = 0;
  std::vector<StepRecord> steps_;
  std::vector<StepEntry> last_batch_;
  bool per_request_metrics_ = true;
  std::map<RequestId, RequestMetrics> metrics_;
  std::map<RequestId, std::vector<std::int64_t>> token_times_;
};

class ContinuousEngine : public EngineBase {
 public:
  ContinuousEngine(const EngineDesc& desc, std::vector<RequestSpec> workload = {});
  bool done() const;
  // One engine step (or an idle jump to the next arrival). Returns false when done.
  bool step();
  bool step_until(std::int64_t t_us);
  // No progress is possible (step() throws then; step_until() returns false).
  bool stuck() const { return stuck_; }
  const Scheduler& scheduler() const { return sched_; }
  // Scheduler::reset_prefix_cache, between steps.
  bool reset_prefix_cache(bool reset_running_requests);

 private:
  bool advance(std::int64_t limit_us);
  Scheduler sched_;
  int empty_steps_in_a_row_ = 0;
  bool stuck_ = false;
};

class StaticEngine : public EngineBase {
 public:
  StaticEngine(const EngineDesc& desc, std::vector<RequestSpec> workload = {}, StaticBatchingDesc sdesc = {});
  bool done() const;
  bool step();
  bool step_until(std::int64_t t_us);
  const std::vector<StaticSlot>& batch() const { return batch_; }  // the current batch
  int reserved_blocks() const { return reserved_blocks_; }
  int queued() const { return static_cast<int>(queue_.size()); }   // admitted, waiting for a batch

 private:
  bool advance(std::int64_t limit_us);
  StaticBatchingDesc sdesc_;
  std::deque<StaticSlot> queue_;  // FCFS
  std::vector<StaticSlot> batch_;
  bool batch_prefilled_ = false;
  int max_prompt_in_batch_ = 0;
  int decode_steps_done_ = 0;
  int reserved_blocks_ = 0;
};

RunResult run_continuous(const EngineDesc& desc, const std::vector<RequestSpec>& workload);
RunResult run_static(const EngineDesc& desc, const std::vector<RequestSpec>& workload,
                     const StaticBatchingDesc& sdesc = {});

// Summary and digest from raw per-request token times (shared by both engines; exposed for tests).
RunResult finish_run(const std::map<RequestId, RequestMetrics>& metrics,
                     const std::map<RequestId, std::vector<std::int64_t>>& token_times,
                     const std::vector<StepRecord>& steps, int num_requests, int rejected);

}  // namespace scalebook::sim::llm
