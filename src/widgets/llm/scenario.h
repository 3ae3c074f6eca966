// llm/scenario.h — the LLM-serving widget's run: a stream of requests served by vLLM's V1
// scheduler (src/sim/llm/scheduler.h: continuous batching under a token budget and
// max_num_seqs, chunked prefill, a paged KV cache with prefix caching, preemption by
// recompute), or by the static-batching baseline of src/sim/llm/engine.h, on the engine's
// stated per-step cost model (ours, not vLLM's). UI-free (native and Wasm): the view
// (view.cpp) draws it; `scalebook sim llm --action 2:burst:40` runs it natively.
//
// The engines are the model's own (ContinuousEngine, StaticEngine with pad_to_longest and
// max_batch = max_num_seqs), driven through their incremental API: the scenario starts them
// empty, hands them each workload window and every request an action adds with
// add_request, steps them with step_until(t) (an idle jump never passes the time reached,
// so a request added at t joins the first step that starts at or after t), and reads each
// step's batch request by request (last_batch()) for its metrics and the view.
//
// Workload: Poisson arrivals at `rate`, prompt and output lengths from the chosen
// distribution (sim/llm/workload.h), generated in 10 s windows as time reaches them (each
// window its own Poisson stream: memoryless, so the joined stream is Poisson) so memory does
// not grow with the duration; an optional shared prefix (one system prompt, the same tokens
// for every request) is prepended to every prompt, as the workload generator does.
// Timeline: a step starts when the previous one ends and is atomic; advance(dt) runs every
// step that STARTS before the new time (so an action at t sees the steps begun before t,
// and a request it adds arrives at t and joins the first step that starts at or after t);
// samples on a fixed 100 ms grid record the state after the steps begun before each grid
// point, so advance(a); advance(b) == advance(a + b). Idle time jumps to the next arrival
// (but never past the time reached). The run ends at `duration`; requests still in flight
// then are not counted as finished.
// Metrics: TTFT (first token − arrival) and the inter-token gaps as the engine defines
// them (tokens stamped with their step's end time). Percentiles: TTFT exactly (nearest
// rank, over finished requests); inter-token gaps, which can number millions, in an
// integer log histogram with 64 sub-buckets per power of two (under 1.6 % error, the
// bucket's upper edge reported).
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/digest.h"
#include "sim/core/rng.h"
#include "sim/llm/engine.h"
#include "sim/llm/scheduler.h"
#include "sim/llm/workload.h"
#include "widgets/params.h"
#include "widgets/samples.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::llm {

namespace sl = sim::llm;

inline constexpr std::int64_t kSampleUs = 100'000;     // one chart sample per 100 ms
inline constexpr std::int64_t kWindowUs = 10'000'000;  // workload generated 10 s at a time
inline constexpr std::int64_t kThroughputWindowUs = 2'000'000;
inline constexpr std::int64_t kTtftWindowUs = 5'000'000;
inline constexpr std::int64_t kItlWindowUs = 1'000'000;
inline constexpr sl::RequestId kActionIdBase = 1'000'000'000;  // ids of requests added by actions

// "" or "parameter 'k': why".
std::string check_params(const ParamMap& params);

// Integer log histogram of positive durations (µs): 64 sub-buckets per power of two.
class GapHistogram {
 public:
  void add(std::int64_t v);
  std::uint64_t count() const { return count_; }
  // Upper edge of the bucket holding the nearest-rank p-th percentile (0 when empty).
  std::int64_t percentile(int p) const;

 private:
  static int bucket(std::int64_t v);
  static std::int64_t upper(int b);
  std::array<std::uint64_t, 64 * 40> n_{};
  std::uint64_t count_ = 0;
};

// One request's share of the latest step (the view's batch bars) and a static batch slot.
using BatchEntry = sl::StepEntry;
using StaticSlot = sl::StaticSlot;

class LlmScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return now_us_; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return ok() && now_us_ < duration_us_; }
  std::string act(const Action& a) override;

  bool ok() const { return error_.empty() && configured_; }
  const std::string& error() const { return error_; }
  bool continuous() const { return continuous_; }
  std::int64_t duration_us() const { return duration_us_; }
  const sl::SchedulerConfig& config() const { return desc_.scheduler; }
  const sl::Scheduler& scheduler() const { return cont_->scheduler(); }  // continuous mode only
  const std::vector<StaticSlot>& static_batch() const { return static_->batch(); }  // static mode
  int static_reserved_blocks() const { return static_->reserved_blocks(); }
  const std::vector<sl::StepRecord>& steps() const;
  const std::vector<BatchEntry>& last_batch() const;
  // The requests generated for [0, until_us) without actions (tests: the same workload fed
  // to the model's engines).
  std::vector<sl::RequestSpec> base_workload(std::int64_t until_us) const;

  // Counters.
  int arrived() const;
  int finished() const { return static_cast<int>(ttfts_.size()); }
  int running() const;
  int waiting() const;  // arrived, not running, not finished
  int kv_used_blocks() const;
  std::int64_t output_tokens() const { return output_tokens_; }
  std::int64_t preemptions() const { return ok() && continuous_ ? cont_->scheduler().total_preemptions() : 0; }
  std::int64_t prefix_hit_tokens() const { return prefix_hit_tokens_; }
  std::int64_t ttft_percentile_us(int p) const;  // over finished requests
  std::int64_t ttft_mean_us() const;
  std::int64_t itl_percentile_us(int p) const { return gaps_.percentile(p); }
  std::int64_t itl_mean_us() const { return gaps_.count() ? gap_sum_ / static_cast<std::int64_t>(gaps_.count()) : 0; }
  double throughput_tok_s() const;  // output tokens per second since 0
  // Up to the last 6 applied actions' texts, newest last.
  const std::vector<std::string>& events() const { return events_; }

  // Chart series, one sample per 100 ms.
  const chart::SampleRing& tok_s() const { return tok_s_; }        // output tokens/s (last 2 s)
  const chart::SampleRing& running_s() const { return running_s_; }
  const chart::SampleRing& waiting_s() const { return waiting_s_; }
  const chart::SampleRing& kv_s() const { return kv_s_; }          // KV blocks in use
  const chart::SampleRing& preempt_s() const { return preempt_s_; }  // cumulative
  const chart::SampleRing& ttft_p50_s() const { return ttft50_s_; }  // s, first tokens in the last 5 s
  const chart::SampleRing& ttft_p99_s() const { return ttft99_s_; }
  const chart::SampleRing& itl_p99_s() const { return itl99_s_; }    // s, gaps in the last 1 s

 private:
  struct Track {
    std::int64_t arrival_us = 0;
    std::int64_t first_token_us = -1;
    std::int64_t last_token_us = -1;
  };
  void ensure_windows(std::int64_t until_us);
  std::vector<sl::RequestSpec> window(int k) const;
  void add_request(sl::RequestSpec r);
  void run_engine_until(std::int64_t t);
  void observe_step();
  std::int64_t engine_us() const;
  void token(const BatchEntry& e, std::int64_t at);
  void finish(sl::RequestId id);
  void sample();
  void note(std::string text);
  sl::RequestSpec make_request(int prompt_own, int max_tokens);

  std::string error_;
  bool configured_ = false;
  bool continuous_ = true;
  std::uint64_t seed_ = 1;
  sl::EngineDesc desc_;
  sl::WorkloadDesc wl_;
  std::vector<sl::TokenId> shared_prefix_;
  std::int64_t duration_us_ = 0;
  std::int64_t now_us_ = 0;     // the scenario's clock (the engine's may be ahead, mid-step)
  std::int64_t next_sample_us_ = 0;
  int windows_ = 0;             // workload windows generated
  sim::Rng action_rng_;
  int action_requests_ = 0;

  std::optional<sl::ContinuousEngine> cont_;  // continuous mode
  std::optional<sl::StaticEngine> static_;    // static mode

  std::int64_t output_tokens_ = 0;
  std::int64_t prefix_hit_tokens_ = 0;
  std::map<sl::RequestId, Track> tracks_;
  std::vector<std::int64_t> ttfts_;  // finished requests, in finish order
  std::vector<std::pair<std::int64_t, std::int64_t>> first_tokens_;  // (time, ttft), time order
  std::deque<std::pair<std::int64_t, std::int64_t>> recent_gaps_;    // (time, gap), last 1 s
  GapHistogram gaps_;
  std::int64_t gap_sum_ = 0;
  std::vector<int> step_outputs_;  // output tokens sampled by each step (parallel to steps())
  sim::TraceDigest digest_;  // over every step record
  std::size_t digested_ = 0;
  std::vector<std::string> events_;
  chart::SampleRing tok_s_, running_s_, waiting_s_, kv_s_, preempt_s_, ttft50_s_, ttft99_s_, itl99_s_;
};

}  // namespace scalebook::widgets::llm

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_llm_scenario();
}
