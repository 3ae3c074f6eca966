#include "widgets/llm/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "widgets/units.h"

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_llm_scenario() { return std::make_unique<llm::LlmScenario>(); }
}  // namespace scalebook::widgets

namespace scalebook::widgets::llm {

namespace {

int cdiv(int a, int b) { return (a + b - 1) / b; }

using units::secs;

// "85 ms", "1.2 s"
std::string dur(std::int64_t us) {
  char b[32];
  if (us < 1'000'000) std::snprintf(b, sizeof b, "%.0f ms", static_cast<double>(us) / 1e3);
  else std::snprintf(b, sizeof b, "%.2f s", static_cast<double>(us) / 1e6);
  return b;
}

std::string with_commas(long long v) {
  return v < 0 ? "-" + units::thousands(static_cast<unsigned long long>(-v))
               : units::thousands(static_cast<unsigned long long>(v));
}

sl::LengthSpec length_spec(const std::string& dist, int lo, int hi) {
  if (dist == "fixed") return {sl::LengthDist::kFixed, hi, hi, 0.0};
  if (dist == "exponential") return {sl::LengthDist::kExponential, lo, hi, 0.0};  // mean (lo + hi) / 2
  return {sl::LengthDist::kUniform, lo, hi, 0.0};
}

std::int64_t nearest_rank(std::vector<std::int64_t> v, int p) {
  if (v.empty()) return 0;
  std::size_t rank = (static_cast<std::size_t>(p) * v.size() + 99) / 100;
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rank - 1), v.end());
  return v[rank - 1];
}

}  // namespace

// ---------------------------------------------------------------- GapHistogram

int GapHistogram::bucket(std::int64_t v) {
  if (v < 64) return static_cast<int>(std::max<std::int64_t>(0, v));
  int e = 63 - __builtin_clzll(static_cast<unsigned long long>(v));  // floor(log2 v) >= 6
  const int m = static_cast<int>((v >> (e - 6)) & 63);
  return std::min(64 * (e - 5) + m, 64 * 40 - 1);
}

std::int64_t GapHistogram::upper(int b) {
  if (b < 64) return b;
  const int e = b / 64 + 5, m = b % 64;
  return ((static_cast<std::int64_t>(65 + m)) << (e - 6)) - 1;
}

void GapHistogram::add(std::int64_t v) {
  ++n_[static_cast<std::size_t>(bucket(v))];
  ++count_;
}

std::int64_t GapHistogram::percentile(int p) const {
  if (count_ == 0) return 0;
  std::uint64_t rank = (static_cast<std::uint64_t>(p) * count_ + 99) / 100;
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < n_.size(); ++b) {
    seen += n_[b];
    if (seen >= rank) return upper(static_cast<int>(b));
  }
  return upper(static_cast<int>(n_.size()) - 1);
}

// ---------------------------------------------------------------- parameters

std::string check_params(const ParamMap& p) {
  const long long seqs = get_int(p, "max_num_seqs"), budget = get_int(p, "max_num_batched_tokens");
  const long long blocks = get_int(p, "kv_blocks"), bs = get_int(p, "block_size"), mml = get_int(p, "max_model_len");
  const long long prefix = get_int(p, "shared_prefix");
  if (get_int(p, "prompt_min") > get_int(p, "prompt_max"))
    return "parameter 'prompt_min': the shortest prompt is longer than the longest (prompt_max " +
           get_text(p, "prompt_max") + ")";
  if (get_int(p, "output_min") > get_int(p, "output_max"))
    return "parameter 'output_min': the shortest output is longer than the longest (output_max " +
           get_text(p, "output_max") + ")";
  // vLLM's SchedulerConfig refuses both (config/scheduler.py).
  if (budget < seqs)
    return "parameter 'max_num_batched_tokens': vLLM requires at least max_num_seqs (" + std::to_string(seqs) +
           ") tokens per step, one for each running request";
  if (!get_bool(p, "chunked_prefill") && budget < mml)
    return "parameter 'max_num_batched_tokens': without chunked prefill a whole prompt must fit in one step, so "
           "vLLM requires at least max_model_len (" + std::to_string(mml) + ") tokens";
  // vLLM refuses to start when one max_model_len sequence cannot fit in the KV cache.
  if (cdiv(static_cast<int>(mml), static_cast<int>(bs)) > blocks - 1)
    return "parameter 'kv_blocks': one sequence of max_model_len " + std::to_string(mml) + " tokens needs " +
           std::to_string(cdiv(static_cast<int>(mml), static_cast<int>(bs))) + " blocks of " + std::to_string(bs) +
           " and the cache has " + std::to_string(blocks - 1) + " (one block is vLLM's null block)";
  if (prefix + get_int(p, "prompt_max") >= mml)
    return "parameter 'prompt_max': a prompt of up to " + std::to_string(prefix + get_int(p, "prompt_max")) +
           " tokens (shared prefix included) leaves no room for an output in max_model_len " + std::to_string(mml);
  return {};
}

void LlmScenario::configure(const ParamMap& p, std::uint64_t seed) {
  *this = LlmScenario();
  if (std::string e = check_params(p); !e.empty()) {
    error_ = e;
    return;
  }
  seed_ = seed;
  continuous_ = get_text(p, "mode") != "static";
  sl::SchedulerConfig& c = desc_.scheduler;
  c.max_num_seqs = static_cast<int>(get_int(p, "max_num_seqs"));
  c.max_num_batched_tokens = static_cast<int>(get_int(p, "max_num_batched_tokens"));
  c.enable_chunked_prefill = get_bool(p, "chunked_prefill");
  c.max_model_len = static_cast<int>(get_int(p, "max_model_len"));
  c.block_size = static_cast<int>(get_int(p, "block_size"));
  c.num_gpu_blocks = static_cast<int>(get_int(p, "kv_blocks"));
  c.enable_prefix_caching = get_bool(p, "prefix_caching");
  wl_.rate_per_s = get_double(p, "rate");
  const std::string& dist = get_text(p, "lengths");
  wl_.prompt = length_spec(dist, static_cast<int>(get_int(p, "prompt_min")), static_cast<int>(get_int(p, "prompt_max")));
  wl_.output = length_spec(dist, static_cast<int>(get_int(p, "output_min")), static_cast<int>(get_int(p, "output_max")));
  const int prefix = static_cast<int>(get_int(p, "shared_prefix"));
  // The workload generator's shared prefix (sim/llm/workload.cpp): tokens fixed by (seed, prefix id 0).
  if (prefix > 0) shared_prefix_ = sl::deterministic_tokens(seed, 0xC0FFEE00ull, prefix, wl_.vocab_size);
  duration_us_ = static_cast<std::int64_t>(std::llround(get_double(p, "duration") * 1e6));
  action_rng_ = sim::Rng(seed).split(0xAC7105ull);
  // Empty: the windows and the actions add the requests. The scenario keeps its own
  // per-request metrics (from each step's batch), so the engine keeps none.
  if (continuous_) cont_.emplace(desc_).set_request_metrics(false);
  else static_.emplace(desc_).set_request_metrics(false);
  const auto samples = static_cast<std::size_t>(duration_us_ / kSampleUs + 2);
  for (auto* r : {&tok_s_, &running_s_, &waiting_s_, &kv_s_, &preempt_s_, &ttft50_s_, &ttft99_s_, &itl99_s_})
    *r = chart::SampleRing(samples);
  configured_ = true;
  ensure_windows(0);
  sample();
}

// ---------------------------------------------------------------- workload

std::vector<sl::RequestSpec> LlmScenario::window(int k) const {
  sl::WorkloadDesc d = wl_;
  d.seed = sim::mix64(seed_ * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(k) + 1);
  d.shared_prefix_tokens = 0;
  std::vector<sl::RequestSpec> out;
  if (d.rate_per_s <= 0) return out;
  // Enough requests to pass the window's end (the generator's prefix does not depend on n).
  int n = static_cast<int>(d.rate_per_s * static_cast<double>(kWindowUs) * 1e-6 * 1.5) + 16;
  std::vector<sl::RequestSpec> all;
  for (;;) {
    d.num_requests = n;
    all = sl::generate_workload(d);
    if (all.back().arrival_us >= kWindowUs || n >= 90'000) break;
    n *= 2;
  }
  const std::int64_t base = static_cast<std::int64_t>(k) * kWindowUs;
  for (std::size_t i = k == 0 ? 0 : 1; i < all.size(); ++i) {  // window k > 0: no arrival at its start
    sl::RequestSpec& r = all[i];
    if (r.arrival_us >= kWindowUs || base + r.arrival_us >= duration_us_) break;
    r.id = static_cast<sl::RequestId>(k) * 100'000 + static_cast<sl::RequestId>(i);
    r.arrival_us += base;
    if (!shared_prefix_.empty()) {
      r.prompt.insert(r.prompt.begin(), shared_prefix_.begin(), shared_prefix_.end());
      r.shared_prefix_id = 0;
    }
    out.push_back(std::move(r));
  }
  return out;
}

void LlmScenario::ensure_windows(std::int64_t until_us) {
  while (static_cast<std::int64_t>(windows_) * kWindowUs <= until_us &&
         static_cast<std::int64_t>(windows_) * kWindowUs < duration_us_) {
    for (auto& r : window(windows_)) add_request(std::move(r));
    ++windows_;
  }
}

std::vector<sl::RequestSpec> LlmScenario::base_workload(std::int64_t until_us) const {
  std::vector<sl::RequestSpec> out;
  for (int k = 0; static_cast<std::int64_t>(k) * kWindowUs < std::min(until_us, duration_us_); ++k)
    for (auto& r : window(k))
      if (r.arrival_us < until_us) out.push_back(std::move(r));
  return out;
}

void LlmScenario::add_request(sl::RequestSpec r) {
  if (continuous_) cont_->add_request(std::move(r));
  else static_->add_request(std::move(r));
}

sl::RequestSpec LlmScenario::make_request(int prompt_own, int max_tokens) {
  sl::RequestSpec r;
  r.id = kActionIdBase + action_requests_++;
  r.arrival_us = now_us_;
  r.max_tokens = max_tokens;
  r.prompt = sl::deterministic_tokens(seed_, static_cast<std::uint64_t>(r.id), prompt_own, wl_.vocab_size);
  return r;
}

// ---------------------------------------------------------------- driving the engine

void LlmScenario::token(const BatchEntry& e, std::int64_t at) {
  Track& t = tracks_[e.id];
  if (t.first_token_us < 0) {
    t.arrival_us = e.arrival_us;
    t.first_token_us = at;
    first_tokens_.emplace_back(at, at - t.arrival_us);
  } else {
    const std::int64_t gap = at - t.last_token_us;
    gaps_.add(gap);
    gap_sum_ += gap;
    recent_gaps_.emplace_back(at, gap);
  }
  t.last_token_us = at;
  ++output_tokens_;
}

void LlmScenario::finish(sl::RequestId id) {
  const auto it = tracks_.find(id);
  if (it == tracks_.end()) return;
  ttfts_.push_back(it->second.first_token_us - it->second.arrival_us);
  tracks_.erase(it);
}

// The step just taken: its tokens (stamped with its end time), then the requests it returned.
void LlmScenario::observe_step() {
  const sl::StepRecord& rec = steps().back();
  const std::int64_t end = rec.start_us + rec.duration_us;
  int outputs = 0;
  for (const BatchEntry& e : last_batch())
    if (e.sampled) {
      token(e, end);
      ++outputs;
    }
  for (const BatchEntry& e : last_batch())
    if (e.finished) finish(e.id);
  prefix_hit_tokens_ += rec.prefix_hit_tokens;
  step_outputs_.push_back(outputs);
}

// Every step that starts before t (an idle engine's clock stops at t).
void LlmScenario::run_engine_until(std::int64_t t) {
  while (error_.empty()) {
    const std::size_t before = steps().size();
    const bool more = continuous_ ? cont_->step_until(t) : static_->step_until(t);
    if (steps().size() > before) observe_step();
    if (continuous_ && cont_->stuck()) error_ = "the scheduler can make no progress";
    if (!more) break;
  }
  const std::vector<sl::StepRecord>& all = steps();
  for (std::size_t i = digested_; i < all.size(); ++i) {
    const sl::StepRecord& st = all[i];
    for (std::int64_t v : {st.start_us, st.duration_us, static_cast<std::int64_t>(st.num_reqs),
                           static_cast<std::int64_t>(st.tokens), st.decode_context_tokens,
                           static_cast<std::int64_t>(st.kv_used_blocks), static_cast<std::int64_t>(st.kv_free_cached_blocks),
                           static_cast<std::int64_t>(st.preemptions), static_cast<std::int64_t>(st.prefix_hit_tokens),
                           static_cast<std::int64_t>(st.running), static_cast<std::int64_t>(st.waiting)})
      digest_.add_i64(v);
  }
  digested_ = all.size();
}

void LlmScenario::advance(std::int64_t dt_us) {
  if (!ok() || now_us_ >= duration_us_) return;
  const std::int64_t target = std::min(duration_us_, now_us_ + std::max<std::int64_t>(0, dt_us));
  ensure_windows(target);
  while (next_sample_us_ <= target && error_.empty()) {
    run_engine_until(next_sample_us_);
    now_us_ = next_sample_us_;
    sample();
  }
  run_engine_until(target);
  now_us_ = target;
}

// ---------------------------------------------------------------- observing

const std::vector<sl::StepRecord>& LlmScenario::steps() const {
  static const std::vector<sl::StepRecord> none;
  if (cont_) return cont_->steps();
  return static_ ? static_->steps() : none;
}

const std::vector<BatchEntry>& LlmScenario::last_batch() const {
  static const std::vector<BatchEntry> none;
  if (cont_) return cont_->last_batch();
  return static_ ? static_->last_batch() : none;
}

std::int64_t LlmScenario::engine_us() const {
  if (cont_) return cont_->now_us();
  return static_ ? static_->now_us() : 0;
}

int LlmScenario::arrived() const {
  if (cont_) return cont_->admitted();
  return static_ ? static_->admitted() : 0;
}

int LlmScenario::running() const {
  if (!ok()) return 0;
  return continuous_ ? static_cast<int>(cont_->scheduler().running().size()) : static_cast<int>(static_->batch().size());
}

int LlmScenario::waiting() const {
  if (!ok()) return 0;
  int w = continuous_ ? static_cast<int>(cont_->scheduler().waiting().size()) : static_->queued();
  for (const auto& r : continuous_ ? cont_->pending() : static_->pending()) {
    if (r.arrival_us > now_us_) break;
    ++w;  // arrived, not yet seen by the engine (it is mid-step)
  }
  return w;
}

int LlmScenario::kv_used_blocks() const {
  if (!ok()) return 0;
  return continuous_ ? cont_->scheduler().kv().pool().num_used_blocks() : static_->reserved_blocks();
}

std::int64_t LlmScenario::ttft_percentile_us(int p) const { return nearest_rank(ttfts_, p); }

std::int64_t LlmScenario::ttft_mean_us() const {
  if (ttfts_.empty()) return 0;
  std::int64_t s = 0;
  for (auto v : ttfts_) s += v;
  return s / static_cast<std::int64_t>(ttfts_.size());
}

double LlmScenario::throughput_tok_s() const {
  // Tokens stamped by now (a step under way has stamped its tokens at its end).
  std::int64_t n = output_tokens_;
  const std::vector<sl::StepRecord>& all = steps();
  for (std::size_t i = all.size(); i-- > 0;) {
    if (all[i].start_us + all[i].duration_us <= now_us_) break;
    n -= step_outputs_[i];
  }
  return now_us_ > 0 ? static_cast<double>(n) * 1e6 / static_cast<double>(now_us_) : 0.0;
}

void LlmScenario::sample() {
  const std::int64_t g = now_us_;
  // Output tokens/s over the last 2 s: steps that ended in (g - 2 s, g].
  std::int64_t toks = 0;
  const std::vector<sl::StepRecord>& all = steps();
  for (std::size_t i = all.size(); i-- > 0;) {
    const std::int64_t end = all[i].start_us + all[i].duration_us;
    if (end <= g - kThroughputWindowUs) break;
    if (end <= g) toks += step_outputs_[i];
  }
  const std::int64_t span = std::min(g, kThroughputWindowUs);
  tok_s_.push(span > 0 ? static_cast<float>(static_cast<double>(toks) * 1e6 / static_cast<double>(span)) : 0.0f);
  running_s_.push(static_cast<float>(running()));
  waiting_s_.push(static_cast<float>(waiting()));
  kv_s_.push(static_cast<float>(kv_used_blocks()));
  preempt_s_.push(static_cast<float>(preemptions()));
  // TTFT of the first tokens of the last 5 s (held when there were none).
  std::vector<std::int64_t> recent;
  for (std::size_t i = first_tokens_.size(); i-- > 0;) {
    if (first_tokens_[i].first <= g - kTtftWindowUs) break;
    if (first_tokens_[i].first <= g) recent.push_back(first_tokens_[i].second);
  }
  if (recent.empty()) {
    ttft50_s_.push(ttft50_s_.latest());
    ttft99_s_.push(ttft99_s_.latest());
  } else {
    ttft50_s_.push(static_cast<float>(static_cast<double>(nearest_rank(recent, 50)) * 1e-6));
    ttft99_s_.push(static_cast<float>(static_cast<double>(nearest_rank(recent, 99)) * 1e-6));
  }
  while (!recent_gaps_.empty() && recent_gaps_.front().first <= g - kItlWindowUs) recent_gaps_.pop_front();
  recent.clear();
  for (const auto& [t, gap] : recent_gaps_)
    if (t <= g) recent.push_back(gap);
  itl99_s_.push(recent.empty() ? itl99_s_.latest() : static_cast<float>(static_cast<double>(nearest_rank(recent, 99)) * 1e-6));
  next_sample_us_ += kSampleUs;
}

// ---------------------------------------------------------------- actions

void LlmScenario::note(std::string text) {
  events_.push_back(secs(now_us_) + ": " + std::move(text));
  if (events_.size() > 6) events_.erase(events_.begin());
}

std::string LlmScenario::act(const Action& a) {
  if (!ok()) return "action '" + a.name + "': the engine cannot run: " + error_;
  if (now_us_ >= duration_us_) return "action '" + a.name + "': the run is over";
  if (a.name == "burst") {
    const int n = static_cast<int>(std::strtol(a.args.at(0).c_str(), nullptr, 10));
    // n requests from the workload's own distributions, all arriving now.
    sl::WorkloadDesc d = wl_;
    d.seed = action_rng_.next_u64();
    d.num_requests = n;
    d.rate_per_s = 0;
    d.shared_prefix_tokens = 0;
    for (auto& r : sl::generate_workload(d)) {
      sl::RequestSpec q = make_request(0, r.max_tokens);
      q.prompt = shared_prefix_;
      q.prompt.insert(q.prompt.end(), r.prompt.begin(), r.prompt.end());
      q.shared_prefix_id = shared_prefix_.empty() ? -1 : 0;
      add_request(std::move(q));
    }
    note(std::to_string(n) + (n == 1 ? " request arrived at once" : " requests arrived at once"));
    return {};
  }
  if (a.name == "long-prompt") {
    const int tokens = static_cast<int>(std::strtol(a.args.at(0).c_str(), nullptr, 10));
    const int out = static_cast<int>(std::strtol(a.args.at(1).c_str(), nullptr, 10));
    if (tokens >= desc_.scheduler.max_model_len)
      return "action 'long-prompt': a prompt of " + std::to_string(tokens) + " tokens leaves no room for an output in "
             "max_model_len " + std::to_string(desc_.scheduler.max_model_len);
    add_request(make_request(tokens, out));
    note("a " + with_commas(tokens) + "-token prompt arrived");
    return {};
  }
  if (a.name == "reset-prefix-cache") {
    if (!continuous_) return "action 'reset-prefix-cache': static batching keeps no prefix cache";
    if (!desc_.scheduler.enable_prefix_caching) return "action 'reset-prefix-cache': prefix caching is off";
    const int n = static_cast<int>(cont_->scheduler().running().size());
    cont_->reset_prefix_cache(/*reset_running_requests=*/true);
    note("prefix cache reset; " + std::to_string(n) + " running requests preempted to recompute");
    return {};
  }
  return "action '" + a.name + "': not handled";
}

// ---------------------------------------------------------------- summary and state

std::string LlmScenario::summary() const {
  if (!ok()) return "The LLM server cannot run: " + error_ + ".";
  char b[64];
  std::string o = "At ";
  o += secs(now_us_);
  o += continuous_ ? " continuous batching" : " static batching";
  o += " has generated " + with_commas(output_tokens_) + " output tokens";
  std::snprintf(b, sizeof b, " (%.0f tokens/s)", throughput_tok_s());
  o += b;
  o += "; " + std::to_string(running()) + " requests running, " + std::to_string(waiting()) + " waiting. KV cache: " +
       with_commas(kv_used_blocks()) + " of " + with_commas(desc_.scheduler.num_gpu_blocks - 1) + " blocks in use";
  if (continuous_) {
    o += ", " + with_commas(preemptions()) + (preemptions() == 1 ? " preemption" : " preemptions");
    if (desc_.scheduler.enable_prefix_caching && prefix_hit_tokens_ > 0)
      o += ", " + with_commas(prefix_hit_tokens_) + " prompt tokens served from the prefix cache";
  }
  o += ".";
  if (!ttfts_.empty()) {
    o += " " + std::to_string(ttfts_.size()) + (ttfts_.size() == 1 ? " request" : " requests") + " finished: time to first token p50 " +
         dur(ttft_percentile_us(50)) + ", p99 " + dur(ttft_percentile_us(99));
    if (gaps_.count() > 0) o += "; inter-token latency p50 " + dur(gaps_.percentile(50)) + ", p99 " + dur(gaps_.percentile(99));
    o += ".";
  } else {
    o += " No request has finished yet.";
  }
  if (now_us_ >= duration_us_) o += " The run is over.";
  return o;
}

std::string LlmScenario::state_json() const {
  if (!ok()) return "{\"error\":true}";
  auto i = [](long long v) { return std::to_string(v); };
  int prefill = 0, decode = 0, batch_tokens = 0;
  for (const auto& e : last_batch()) {
    (e.kind == BatchEntry::Kind::Prefill ? prefill : decode) += 1;
    batch_tokens += e.tokens;
  }
  std::string o = "{\"time_us\":" + i(now_us_) + ",\"mode\":\"" + (continuous_ ? "continuous" : "static") + "\"" +
                  ",\"engine_us\":" + i(engine_us()) + ",\"steps\":" + i(static_cast<long long>(steps().size())) +
                  ",\"arrived\":" + i(arrived()) + ",\"rejected\":" + i(continuous_ ? cont_->rejected() : static_->rejected()) + ",\"running\":" + i(running()) +
                  ",\"waiting\":" + i(waiting()) + ",\"finished\":" + i(finished()) +
                  ",\"output_tokens\":" + i(output_tokens_) + ",\"kv_used_blocks\":" + i(kv_used_blocks()) +
                  ",\"kv_blocks\":" + i(desc_.scheduler.num_gpu_blocks - 1);
  if (continuous_)
    o += ",\"kv_free_cached_blocks\":" + i(cont_->scheduler().kv().pool().num_free_cached_blocks()) +
         ",\"preemptions\":" + i(preemptions()) + ",\"prefix_hit_tokens\":" + i(prefix_hit_tokens_);
  o += ",\"batch\":{\"prefill\":" + i(prefill) + ",\"decode\":" + i(decode) + ",\"tokens\":" + i(batch_tokens) + "}" +
       ",\"ttft_p50_us\":" + i(ttft_percentile_us(50)) + ",\"ttft_p99_us\":" + i(ttft_percentile_us(99)) +
       ",\"itl_p50_us\":" + i(gaps_.percentile(50)) + ",\"itl_p99_us\":" + i(gaps_.percentile(99)) +
       ",\"action_requests\":" + i(action_requests_) + ",\"steps_digest\":\"" + digest_.hex() + "\"}";
  return o;
}

}  // namespace scalebook::widgets::llm
