#include "sim/llm/engine.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "sim/core/digest.h"
#include "sim/core/rng.h"

namespace scalebook::sim::llm {

namespace {

int cdiv(int a, int b) { return (a + b - 1) / b; }

void sort_by_arrival(std::vector<RequestSpec>& specs) {
  std::stable_sort(specs.begin(), specs.end(), [](const RequestSpec& a, const RequestSpec& b) {
    return a.arrival_us != b.arrival_us ? a.arrival_us < b.arrival_us : a.id < b.id;
  });
}

RequestMetrics initial_metrics(const RequestSpec& s) {
  RequestMetrics m;
  m.id = s.id;
  m.arrival_us = s.arrival_us;
  m.prompt_tokens = static_cast<int>(s.prompt.size());
  m.max_tokens = s.max_tokens;
  return m;
}

// Nearest-rank percentile of a sorted vector (p in percent).
std::int64_t percentile(const std::vector<std::int64_t>& sorted, int p) {
  if (sorted.empty()) return 0;
  const std::size_t n = sorted.size();
  std::size_t rank = (static_cast<std::size_t>(p) * n + 99) / 100;
  if (rank < 1) rank = 1;
  return sorted[std::min(rank, n) - 1];
}

std::int64_t mean_of(const std::vector<std::int64_t>& v) {
  if (v.empty()) return 0;
  std::int64_t s = 0;
  for (auto x : v) s += x;
  return s / static_cast<std::int64_t>(v.size());
}

void check_fits(const SchedulerConfig& c) {
  // vLLM refuses to start when one max_model_len sequence cannot fit in the KV cache.
  if (cdiv(c.max_model_len, c.block_size) > c.num_gpu_blocks - 1)
    throw std::invalid_argument("EngineDesc: max_model_len does not fit in the KV cache");
}

}  // namespace

TokenId sampled_token(RequestId id, int output_index, int vocab_size) {
  const std::uint64_t h = mix64(static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ull +
                                static_cast<std::uint64_t>(output_index) + 1);
  return static_cast<TokenId>(h % static_cast<std::uint64_t>(vocab_size));
}

// ---------------------------------------------------------------- summary

RunResult finish_run(const std::map<RequestId, RequestMetrics>& metrics,
                     const std::map<RequestId, std::vector<std::int64_t>>& token_times,
                     const std::vector<StepRecord>& steps, int num_requests, int rejected) {
  RunResult res;
  RunSummary& s = res.summary;
  s.num_requests = num_requests;
  s.num_rejected = rejected;
  std::vector<std::int64_t> ttfts, gaps, e2es;
  std::int64_t first_arrival = -1, last_finish = -1;
  for (const auto& [id, m0] : metrics) {
    RequestMetrics m = m0;
    const auto tt = token_times.find(id);
    if (tt != token_times.end() && !tt->second.empty()) {
      const auto& t = tt->second;
      m.first_token_us = t.front();
      m.ttft_us = t.front() - m.arrival_us;
      if (t.size() > 1) {
        m.mean_itl_us = (t.back() - t.front()) / static_cast<std::int64_t>(t.size() - 1);
        for (std::size_t i = 1; i < t.size(); ++i) {
          const std::int64_t g = t[i] - t[i - 1];
          gaps.push_back(g);
          m.max_itl_us = std::max(m.max_itl_us, g);
        }
      }
    }
    if (m.finish_us >= 0) {
      ++s.num_finished;
      m.e2e_us = m.finish_us - m.arrival_us;
      ttfts.push_back(m.ttft_us);
      e2es.push_back(m.e2e_us);
      s.prompt_tokens += m.prompt_tokens;
      s.output_tokens += m.output_tokens;
      s.preemptions += m.preemptions;
      if (first_arrival < 0 || m.arrival_us < first_arrival) first_arrival = m.arrival_us;
      last_finish = std::max(last_finish, m.finish_us);
    }
    res.requests.push_back(m);
  }
  std::sort(ttfts.begin(), ttfts.end());
  std::sort(gaps.begin(), gaps.end());
  std::sort(e2es.begin(), e2es.end());
  s.ttft_mean_us = mean_of(ttfts);
  s.ttft_p50_us = percentile(ttfts, 50);
  s.ttft_p99_us = percentile(ttfts, 99);
  s.itl_mean_us = mean_of(gaps);
  s.itl_p99_us = percentile(gaps, 99);
  s.e2e_mean_us = mean_of(e2es);
  s.e2e_p50_us = percentile(e2es, 50);
  s.e2e_p99_us = percentile(e2es, 99);
  s.makespan_us = first_arrival >= 0 ? last_finish - first_arrival : 0;

  std::int64_t batch_sum = 0;
  for (const auto& st : steps) {
    ++s.steps;
    s.busy_us += st.duration_us;
    s.max_batch = std::max(s.max_batch, st.num_reqs);
    s.max_kv_used_blocks = std::max(s.max_kv_used_blocks, st.kv_used_blocks);
    s.prefix_hit_tokens += st.prefix_hit_tokens;
    batch_sum += st.num_reqs;
  }
  if (s.steps > 0) s.mean_batch = static_cast<double>(batch_sum) / s.steps;
  if (s.makespan_us > 0) {
    s.throughput_tok_per_s = static_cast<double>(s.output_tokens) * 1e6 / static_cast<double>(s.makespan_us);
    s.requests_per_s = static_cast<double>(s.num_finished) * 1e6 / static_cast<double>(s.makespan_us);
  }
  res.steps = steps;

  TraceDigest d;
  for (const auto& m : res.requests) {
    d.add_i64(m.id);
    d.add_i64(m.arrival_us);
    d.add_i64(m.first_scheduled_us);
    d.add_i64(m.first_token_us);
    d.add_i64(m.finish_us);
    d.add_i64(m.output_tokens);
    d.add_i64(m.cached_tokens);
    d.add_i64(m.preemptions);
    d.add_i64(m.max_itl_us);
  }
  for (const auto& st : steps) {
    d.add_i64(st.start_us);
    d.add_i64(st.duration_us);
    d.add_i64(st.num_reqs);
    d.add_i64(st.tokens);
    d.add_i64(st.decode_context_tokens);
    d.add_i64(st.kv_used_blocks);
    d.add_i64(st.kv_free_cached_blocks);
    d.add_i64(st.preemptions);
    d.add_i64(st.prefix_hit_tokens);
    d.add_i64(st.running);
    d.add_i64(st.waiting);
  }
  res.digest = d.value();
  return res;
}

// ---------------------------------------------------------------- ArrivalQueue

void ArrivalQueue::add(RequestSpec r) {
  const auto at = std::upper_bound(q_.begin(), q_.end(), r, [](const RequestSpec& a, const RequestSpec& b) {
    return a.arrival_us != b.arrival_us ? a.arrival_us < b.arrival_us : a.id < b.id;
  });
  q_.insert(at, std::move(r));
}

RequestSpec ArrivalQueue::pop() {
  RequestSpec r = std::move(q_.front());
  q_.pop_front();
  return r;
}

// ---------------------------------------------------------------- EngineBase

EngineBase::EngineBase(const EngineDesc& desc, std::vector<RequestSpec> workload) : desc_(desc) {
  check_fits(desc.scheduler);
  sort_by_arrival(workload);
  if (!workload.empty()) now_ = workload.front().arrival_us;
  for (auto& s : workload) add_request(std::move(s));
}

void EngineBase::add_request(RequestSpec r) {
  if (per_request_metrics_) metrics_[r.id] = initial_metrics(r);
  ++num_requests_;
  pending_.add(std::move(r));
}

RunResult EngineBase::result() const {
  return finish_run(metrics_, token_times_, steps_, num_requests_, rejected_);
}

// ---------------------------------------------------------------- ContinuousEngine

ContinuousEngine::ContinuousEngine(const EngineDesc& desc, std::vector<RequestSpec> workload)
    : EngineBase(desc, std::move(workload)), sched_(desc.scheduler) {}

bool ContinuousEngine::done() const { return pending_.empty() && !sched_.has_unfinished(); }

bool ContinuousEngine::step() {
  if (done()) return false;
  const bool more = advance(kNoTimeLimit);
  if (stuck_) throw std::runtime_error("ContinuousEngine: no progress possible");
  return more;
}

bool ContinuousEngine::step_until(std::int64_t t_us) {
  if (stuck_ || now_ >= t_us) return false;
  return advance(t_us);
}

bool ContinuousEngine::reset_prefix_cache(bool reset_running_requests) {
  return sched_.reset_prefix_cache(reset_running_requests);
}

// With limit_us == kNoTimeLimit this is the original step(): idle jumps go to the next arrival.
bool ContinuousEngine::advance(std::int64_t limit_us) {
  while (pending_.due(now_)) {
    RequestSpec s = pending_.pop();
    ++admitted_;
    if (!sched_.add_request(s.id, s.arrival_us, std::move(s.prompt), s.max_tokens, s.priority)) ++rejected_;
  }
  if (!sched_.has_unfinished()) {
    if (!pending_.empty()) {
      now_ = std::min(limit_us, pending_.front().arrival_us);  // idle until the next request
      return now_ < limit_us;
    }
    if (limit_us != kNoTimeLimit) now_ = limit_us;
    return false;
  }

  const SchedulerOutput out = sched_.schedule();
  if (out.total_num_scheduled_tokens == 0) {
    // Possible after a step that preempted everything it had; never twice in a row unless stuck.
    if (!pending_.empty() && sched_.running().empty()) {
      now_ = std::max(now_, std::min(limit_us, pending_.front().arrival_us));
      return now_ < limit_us;
    }
    if (++empty_steps_in_a_row_ > 2) {
      stuck_ = true;
      return false;
    }
    return true;
  }
  empty_steps_in_a_row_ = 0;

  StepRecord rec;
  rec.start_us = now_;
  rec.tokens = out.total_num_scheduled_tokens;
  rec.num_reqs = static_cast<int>(out.scheduled.size());
  rec.preemptions = static_cast<int>(out.preempted.size());
  rec.new_reqs = static_cast<int>(out.new_reqs.size());
  last_batch_.clear();
  for (const auto& c : out.scheduled) {
    if (c.is_decode) {
      ++rec.num_decode_reqs;
      rec.decode_context_tokens += c.num_computed_before + 1;
    } else {
      ++rec.num_prefill_reqs;
    }
    rec.prefix_hit_tokens += c.prefix_hit_tokens;
    const Request& r = sched_.request(c.id);
    StepEntry e;
    e.id = c.id;
    e.kind = c.is_decode ? StepEntry::Kind::Decode : StepEntry::Kind::Prefill;
    e.tokens = c.num_tokens;
    e.prompt_tokens = r.num_prompt_tokens;
    e.computed_after = c.num_computed_before + c.num_tokens;
    e.outputs = r.num_output_tokens() + (c.samples ? 1 : 0);
    e.prefix_hit_tokens = c.prefix_hit_tokens;
    e.arrival_us = r.arrival_us;
    e.sampled = c.samples;
    last_batch_.push_back(e);
  }
  rec.duration_us = desc_.cost.step_us(rec.tokens, rec.decode_context_tokens);
  now_ += rec.duration_us;

  std::map<RequestId, TokenId> sampled;
  for (const auto& c : out.scheduled) {
    if (per_request_metrics_ && (c.is_new || c.is_resumed)) {
      auto& m = metrics_[c.id];
      if (m.first_scheduled_us < 0) m.first_scheduled_us = rec.start_us;
    }
    if (!c.samples) continue;
    const Request& r = sched_.request(c.id);
    sampled[c.id] = sampled_token(c.id, r.num_output_tokens());
    if (per_request_metrics_) token_times_[c.id].push_back(now_);
  }
  const std::vector<Request> finished = sched_.update_from_output(out, sampled);
  for (const auto& f : finished) {
    if (!per_request_metrics_) break;
    auto& m = metrics_[f.id];
    m.finish_us = now_;
    m.output_tokens = f.num_output_tokens();
    m.cached_tokens = std::max(0, f.num_cached_tokens);
    m.preemptions = f.num_preemptions;
  }
  // update_from_output finishes requests of out.scheduled, in that order.
  std::size_t k = 0;
  for (const auto& f : finished) {
    while (k < last_batch_.size() && last_batch_[k].id != f.id) ++k;
    if (k < last_batch_.size()) last_batch_[k].finished = true;
  }
  rec.finished = static_cast<int>(finished.size());
  const BlockPool& pool = sched_.kv().pool();
  rec.kv_used_blocks = pool.num_used_blocks();
  rec.kv_free_blocks = pool.num_free_blocks();
  rec.kv_free_cached_blocks = pool.num_free_cached_blocks();
  rec.running = static_cast<int>(sched_.running().size());
  rec.waiting = static_cast<int>(sched_.waiting().size());
  steps_.push_back(rec);
  return true;
}

RunResult run_continuous(const EngineDesc& desc, const std::vector<RequestSpec>& workload) {
  ContinuousEngine e(desc, workload);
  while (e.step()) {
  }
  return e.result();
}

// ---------------------------------------------------------------- StaticEngine

StaticEngine::StaticEngine(const EngineDesc& desc, std::vector<RequestSpec> workload, StaticBatchingDesc sdesc)
    : EngineBase(desc, std::move(workload)), sdesc_(sdesc) {
  if (sdesc_.max_batch <= 0) sdesc_.max_batch = desc.scheduler.max_num_seqs;
}

bool StaticEngine::done() const { return pending_.empty() && queue_.empty() && batch_.empty(); }

bool StaticEngine::step() {
  if (done()) return false;
  return advance(kNoTimeLimit);
}

bool StaticEngine::step_until(std::int64_t t_us) {
  if (now_ >= t_us) return false;
  return advance(t_us);
}

bool StaticEngine::advance(std::int64_t limit_us) {
  const SchedulerConfig& cfg = desc_.scheduler;
  const int usable = cfg.num_gpu_blocks - 1;
  while (pending_.due(now_)) {
    const RequestSpec s = pending_.pop();
    ++admitted_;
    const int len = static_cast<int>(s.prompt.size());
    const int need = cdiv(std::min(len + s.max_tokens, cfg.max_model_len), cfg.block_size);
    const bool ok = len > 0 && s.max_tokens > 0 && len < cfg.max_model_len && need <= usable;
    if (ok) {
      StaticSlot sl;
      sl.id = s.id;
      sl.arrival_us = s.arrival_us;
      sl.prompt_tokens = len;
      sl.max_outputs = std::min(s.max_tokens, cfg.max_model_len - len);
      sl.reserved_blocks = need;
      queue_.push_back(sl);
    } else {
      ++rejected_;
    }
  }

  if (batch_.empty()) {
    while (!queue_.empty() && static_cast<int>(batch_.size()) < sdesc_.max_batch) {
      if (reserved_blocks_ + queue_.front().reserved_blocks > usable) break;
      batch_.push_back(queue_.front());
      reserved_blocks_ += queue_.front().reserved_blocks;
      queue_.pop_front();
    }
    if (batch_.empty()) {
      if (!pending_.empty()) {
        now_ = std::min(limit_us, pending_.front().arrival_us);
        return now_ < limit_us;
      }
      if (limit_us != kNoTimeLimit) now_ = limit_us;
      return false;
    }
    batch_prefilled_ = false;
    decode_steps_done_ = 0;
    max_prompt_in_batch_ = 0;
    for (const auto& sl : batch_) {
      max_prompt_in_batch_ = std::max(max_prompt_in_batch_, sl.prompt_tokens);
      if (per_request_metrics_) metrics_[sl.id].first_scheduled_us = now_;
    }
  }

  const int b = static_cast<int>(batch_.size());
  StepRecord rec;
  rec.start_us = now_;
  std::vector<std::size_t> producing;
  last_batch_.clear();
  auto entry = [&](const StaticSlot& sl, StepEntry::Kind kind, int tokens, bool live) {
    StepEntry e;
    e.id = sl.id;
    e.kind = kind;
    e.tokens = tokens;
    e.prompt_tokens = sl.prompt_tokens;
    // A prefill computes the prompt; a decode step the KV of the token sampled last.
    e.computed_after = kind == StepEntry::Kind::Prefill ? sl.prompt_tokens : sl.prompt_tokens + sl.outputs + (live ? 1 : 0);
    e.outputs = sl.outputs + (live ? 1 : 0);
    e.arrival_us = sl.arrival_us;
    e.sampled = live;
    last_batch_.push_back(e);
  };
  if (!batch_prefilled_) {
    std::int64_t tokens = 0;
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      const int t = sdesc_.pad_to_longest ? max_prompt_in_batch_ : batch_[i].prompt_tokens;
      tokens += t;
      producing.push_back(i);
      entry(batch_[i], StepEntry::Kind::Prefill, t, true);
    }
    rec.tokens = static_cast<int>(tokens);
    rec.num_prefill_reqs = b;
    rec.new_reqs = b;
    batch_prefilled_ = true;
  } else {
    std::int64_t ctx = 0;
    int active = 0;
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      const StaticSlot& sl = batch_[i];
      const bool live = sl.outputs < sl.max_outputs;
      if (live) {
        producing.push_back(i);
        ++active;
      }
      if (sdesc_.pad_to_longest) ctx += max_prompt_in_batch_ + decode_steps_done_ + 1;
      else if (live) ctx += sl.prompt_tokens + sl.outputs;
      entry(sl, live ? StepEntry::Kind::Decode : StepEntry::Kind::Padding,
            sdesc_.pad_to_longest || live ? 1 : 0, live);
    }
    rec.tokens = sdesc_.pad_to_longest ? b : active;
    rec.num_decode_reqs = rec.tokens;
    rec.decode_context_tokens = ctx;
    ++decode_steps_done_;
  }
  rec.num_reqs = rec.num_prefill_reqs + rec.num_decode_reqs;
  rec.duration_us = desc_.cost.step_us(rec.tokens, rec.decode_context_tokens);
  now_ += rec.duration_us;
  for (std::size_t i : producing) {
    ++batch_[i].outputs;
    if (per_request_metrics_) token_times_[batch_[i].id].push_back(now_);
  }

  bool all_done = true;
  for (const auto& sl : batch_) all_done = all_done && sl.outputs >= sl.max_outputs;
  rec.kv_used_blocks = reserved_blocks_;
  rec.kv_free_blocks = usable - reserved_blocks_;
  if (all_done) {
    for (const auto& sl : batch_) {
      if (!per_request_metrics_) break;
      auto& m = metrics_[sl.id];
      m.finish_us = now_;  // returned when the whole batch is done
      m.output_tokens = sl.outputs;
    }
    for (auto& e : last_batch_) e.finished = true;
    rec.finished = b;
    batch_.clear();
    reserved_blocks_ = 0;
  }
  rec.running = static_cast<int>(batch_.size());
  rec.waiting = static_cast<int>(queue_.size());
  steps_.push_back(rec);
  return true;
}

RunResult run_static(const EngineDesc& desc, const std::vector<RequestSpec>& workload, const StaticBatchingDesc& sdesc) {
  StaticEngine e(desc, workload, sdesc);
  while (e.step()) {
  }
  return e.result();
}

}  // namespace scalebook::sim::llm
