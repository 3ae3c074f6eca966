#include "sim/llm/scheduler.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace scalebook::sim::llm {

const char* to_string(RequestStatus s) {
  switch (s) {
    case RequestStatus::kWaiting: return "WAITING";
    case RequestStatus::kRunning: return "RUNNING";
    case RequestStatus::kPreempted: return "PREEMPTED";
    case RequestStatus::kFinishedLengthCapped: return "FINISHED_LENGTH_CAPPED";
    case RequestStatus::kFinishedAborted: return "FINISHED_ABORTED";
  }
  return "?";
}

int SchedulerOutput::tokens_for(RequestId id) const {
  const ScheduledChunk* c = chunk(id);
  return c == nullptr ? 0 : c->num_tokens;
}

const ScheduledChunk* SchedulerOutput::chunk(RequestId id) const {
  for (const auto& c : scheduled)
    if (c.id == id) return &c;
  return nullptr;
}

Scheduler::Scheduler(const SchedulerConfig& cfg)
    : cfg_(cfg),
      kv_(cfg.num_gpu_blocks, cfg.block_size, cfg.enable_prefix_caching, cfg.max_model_len, cfg.free_order) {
  if (cfg.max_num_seqs <= 0 || cfg.max_num_batched_tokens <= 0 || cfg.max_model_len <= 1)
    throw std::invalid_argument("SchedulerConfig: limits must be positive");
  // vLLM's config validation refuses this combination too.
  if (cfg.max_num_batched_tokens < cfg.max_num_seqs)
    throw std::invalid_argument("SchedulerConfig: max_num_batched_tokens < max_num_seqs");
}

bool Scheduler::add_request(RequestId id, std::int64_t arrival_us, std::vector<TokenId> prompt, int max_tokens,
                            int priority) {
  if (requests_.count(id) != 0 || prompt.empty() || max_tokens <= 0) return false;
  if (static_cast<int>(prompt.size()) >= cfg_.max_model_len) return false;  // no room for an output
  Request r;
  r.id = id;
  r.arrival_us = arrival_us;
  r.priority = priority;
  r.num_prompt_tokens = static_cast<int>(prompt.size());
  r.tokens = std::move(prompt);
  r.max_tokens = max_tokens;
  extend_block_hashes(r.block_hashes, r.tokens, cfg_.block_size);
  requests_.emplace(id, std::move(r));
  enqueue_waiting(id, /*front=*/false);
  return true;
}

const Request* Scheduler::find(RequestId id) const {
  const auto it = requests_.find(id);
  return it == requests_.end() ? nullptr : &it->second;
}

const Request& Scheduler::request(RequestId id) const { return requests_.at(id); }

KvRequestView Scheduler::view(const Request& r) const {
  KvRequestView v;
  v.id = r.id;
  v.num_tokens = r.num_tokens();
  v.num_computed_tokens = r.num_computed_tokens;
  v.block_hashes = &r.block_hashes;
  return v;
}

bool Scheduler::waiting_before(const Request& a, const Request& b) const {
  if (a.priority != b.priority) return a.priority < b.priority;
  if (a.arrival_us != b.arrival_us) return a.arrival_us < b.arrival_us;
  return a.id < b.id;
}

void Scheduler::enqueue_waiting(RequestId id, bool front) {
  if (cfg_.policy == Policy::kFcfs) {
    if (front) waiting_.push_front(id); else waiting_.push_back(id);
    return;
  }
  // PRIORITY: a heap in vLLM; "prepend" is an ordinary insert.
  const Request& r = requests_.at(id);
  auto pos = waiting_.begin();
  while (pos != waiting_.end() && !waiting_before(r, requests_.at(*pos))) ++pos;
  waiting_.insert(pos, id);
}

void Scheduler::remove_from_running(RequestId id) {
  const auto it = std::find(running_.begin(), running_.end(), id);
  if (it != running_.end()) running_.erase(it);
}

void Scheduler::remove_from_waiting(RequestId id) {
  const auto it = std::find(waiting_.begin(), waiting_.end(), id);
  if (it != waiting_.end()) waiting_.erase(it);
}

void Scheduler::preempt(Request& r) {
  if (r.status != RequestStatus::kRunning) throw std::logic_error("preempt: request is not running");
  kv_.free(r.id);
  r.status = RequestStatus::kPreempted;
  r.num_computed_tokens = 0;
  ++r.num_preemptions;
  ++total_preemptions_;
  enqueue_waiting(r.id, /*front=*/true);
}

SchedulerOutput Scheduler::schedule() {
  SchedulerOutput out;
  out.finished_since_last = std::move(finished_since_last_);
  finished_since_last_.clear();
  int budget = cfg_.max_num_batched_tokens;
  const int threshold = cfg_.long_prefill_token_threshold;

  // (1) Running requests, in list order.
  std::size_t idx = 0;
  while (idx < running_.size() && budget > 0) {
    Request& r = requests_.at(running_[idx]);
    int want = r.num_tokens() - r.num_computed_tokens;
    if (threshold > 0 && want > threshold) want = threshold;
    want = std::min(want, budget);
    want = std::min(want, cfg_.max_model_len - 1 - r.num_computed_tokens);
    if (want <= 0) {  // nothing to do for it this step; later ones may still go
      ++idx;
      continue;
    }

    std::optional<std::vector<int>> blocks;
    for (;;) {
      blocks = kv_.allocate_slots(view(r), want);
      if (blocks) break;
      RequestId victim = 0;
      if (cfg_.policy == Policy::kPriority) {
        auto best = running_.begin();
        for (auto it = running_.begin(); it != running_.end(); ++it) {
          const Request& c = requests_.at(*it);
          const Request& b = requests_.at(*best);
          if (c.priority > b.priority || (c.priority == b.priority && c.arrival_us > b.arrival_us)) best = it;
        }
        victim = *best;
        running_.erase(best);
        const auto sc = std::find_if(out.scheduled.begin(), out.scheduled.end(),
                                     [victim](const ScheduledChunk& c) { return c.id == victim; });
        if (sc != out.scheduled.end()) {  // give back what it had been given this step
          budget += sc->num_tokens;
          out.scheduled.erase(sc);
          out.running_reqs.erase(std::find(out.running_reqs.begin(), out.running_reqs.end(), victim));
          --idx;
        }
      } else {
        victim = running_.back();
        running_.pop_back();
      }
      preempt(requests_.at(victim));
      out.preempted.push_back(victim);
      if (victim == r.id) break;  // nothing left to preempt for it
    }
    if (!blocks) break;

    ScheduledChunk c;
    c.id = r.id;
    c.num_tokens = want;
    c.num_computed_before = r.num_computed_tokens;
    c.samples = r.num_computed_tokens + want >= r.num_tokens();
    c.is_decode = c.samples && want == 1 && r.num_output_tokens() > 0;
    out.scheduled.push_back(c);
    out.running_reqs.push_back(r.id);
    budget -= want;
    ++idx;
  }

  // (2) Waiting requests — only in a step without preemptions.
  if (out.preempted.empty()) {
    while (!waiting_.empty() && budget > 0) {
      if (static_cast<int>(running_.size()) >= cfg_.max_num_seqs) break;
      Request& r = requests_.at(waiting_.front());
      ComputedBlocks hit;
      int num_computed = r.num_computed_tokens;
      if (r.num_computed_tokens == 0) {
        hit = kv_.get_computed_blocks(view(r));
        num_computed = hit.num_tokens;
      }
      int want = r.num_tokens() - num_computed;
      if (threshold > 0 && want > threshold) want = threshold;
      if (!cfg_.enable_chunked_prefill && want > budget) break;
      want = std::min(want, budget);
      if (want <= 0) throw std::logic_error("schedule: waiting request with nothing to compute");

      const auto blocks = kv_.allocate_slots(view(r), want, hit.num_tokens, &hit.blocks);
      if (!blocks) break;  // head-of-line: later requests wait too

      waiting_.pop_front();
      running_.push_back(r.id);
      ScheduledChunk c;
      c.id = r.id;
      c.num_tokens = want;
      c.num_computed_before = num_computed;
      c.prefix_hit_tokens = hit.num_tokens;
      c.is_new = r.status == RequestStatus::kWaiting;
      c.is_resumed = r.status == RequestStatus::kPreempted;
      c.samples = num_computed + want >= r.num_tokens();
      c.is_decode = false;  // an admission is always a (re)prefill
      (c.is_new ? out.new_reqs : out.resumed_reqs).push_back(r.id);
      out.scheduled.push_back(c);
      budget -= want;
      r.status = RequestStatus::kRunning;
      r.num_computed_tokens = num_computed;
      if (r.num_cached_tokens < 0) r.num_cached_tokens = num_computed;
    }
  }

  int total = 0;
  for (const auto& c : out.scheduled) total += c.num_tokens;
  out.total_num_scheduled_tokens = total;
  if (total > cfg_.max_num_batched_tokens || budget < 0)
    throw std::logic_error("schedule: token budget exceeded");
  if (static_cast<int>(running_.size()) > cfg_.max_num_seqs) throw std::logic_error("schedule: too many running");
  if (kv_.pool().num_used_blocks() > kv_.pool().num_usable_blocks())
    throw std::logic_error("schedule: blocks over-allocated");
  if (!running_.empty()) out.num_common_prefix_blocks = kv_.num_common_prefix_blocks(running_.front());

  // (3) Advance computed tokens now, so a chunked prefill can be scheduled again next step.
  for (const auto& c : out.scheduled) requests_.at(c.id).num_computed_tokens += c.num_tokens;
  return out;
}

std::vector<Request> Scheduler::update_from_output(const SchedulerOutput& out,
                                                   const std::map<RequestId, TokenId>& sampled) {
  std::vector<Request> finished;
  for (const auto& c : out.scheduled) {
    const auto it = requests_.find(c.id);
    if (it == requests_.end() || is_finished(it->second.status)) continue;  // aborted meanwhile
    const auto s = sampled.find(c.id);
    if (s == sampled.end()) continue;  // partial prefill: nothing sampled
    Request& r = it->second;
    r.tokens.push_back(s->second);
    extend_block_hashes(r.block_hashes, r.tokens, cfg_.block_size);
    if (r.num_tokens() >= cfg_.max_model_len || r.num_output_tokens() >= r.max_tokens) {
      const RequestStatus before = r.status;
      r.status = RequestStatus::kFinishedLengthCapped;
      if (before == RequestStatus::kRunning) remove_from_running(r.id); else remove_from_waiting(r.id);
      kv_.free(r.id);
      finished_since_last_.push_back(r.id);
      finished.push_back(std::move(r));
      requests_.erase(it);
    }
  }
  return finished;
}

bool Scheduler::finish_request(RequestId id) {
  const auto it = requests_.find(id);
  if (it == requests_.end()) return false;
  if (it->second.status == RequestStatus::kRunning) remove_from_running(id); else remove_from_waiting(id);
  kv_.free(id);
  finished_since_last_.push_back(id);
  requests_.erase(it);
  return true;
}

bool Scheduler::reset_prefix_cache(bool reset_running_requests) {
  if (reset_running_requests) {
    while (!running_.empty()) {  // back to front: they re-enter waiting in their old order
      const RequestId id = running_.back();
      running_.pop_back();
      preempt(requests_.at(id));
    }
  }
  return kv_.reset_prefix_cache();
}

}  // namespace scalebook::sim::llm
