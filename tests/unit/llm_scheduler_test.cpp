// Tests for sim/llm/scheduler.h. Ports of vLLM tests/v1/core/test_scheduler.py (@619e4b3) name
// the original in a comment; the helpers mirror tests/v1/core/utils.py create_scheduler /
// create_requests (max_num_seqs 16, max_num_batched_tokens 8192, 10000 blocks of 16 tokens,
// max_model_len = max_num_batched_tokens, prompts [i] * num_tokens, max_tokens 16).
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "sim/llm/scheduler.h"

namespace llm = scalebook::sim::llm;
using llm::Policy;
using llm::RequestId;
using llm::RequestStatus;
using llm::Scheduler;
using llm::SchedulerConfig;
using llm::SchedulerOutput;
using llm::TokenId;

namespace {

struct Cfg {
  int max_num_seqs = 16;
  int max_num_batched_tokens = 8192;
  bool enable_prefix_caching = false;
  int long_prefill_token_threshold = 0;
  int num_blocks = 10000;
  int block_size = 16;
  int max_model_len = 0;  // 0 = max_num_batched_tokens, as create_scheduler does
  bool enable_chunked_prefill = true;
  Policy policy = Policy::kFcfs;
};

SchedulerConfig make(const Cfg& c) {
  SchedulerConfig s;
  s.max_num_seqs = c.max_num_seqs;
  s.max_num_batched_tokens = c.max_num_batched_tokens;
  s.enable_prefix_caching = c.enable_prefix_caching;
  s.long_prefill_token_threshold = c.long_prefill_token_threshold;
  s.num_gpu_blocks = c.num_blocks;
  s.block_size = c.block_size;
  s.max_model_len = c.max_model_len > 0 ? c.max_model_len : c.max_num_batched_tokens;
  s.enable_chunked_prefill = c.enable_chunked_prefill;
  s.policy = c.policy;
  return s;
}

// create_requests: ids start..start+n-1, prompt [id] * num_tokens (or [0] * n), arrival = index.
void add_requests(Scheduler& s, int n, int num_tokens = 10, int max_tokens = 16, int start = 0,
                  bool same_prompt = false) {
  for (int i = start; i < start + n; ++i)
    ASSERT_TRUE(s.add_request(i, i, std::vector<TokenId>(static_cast<std::size_t>(num_tokens), same_prompt ? 0 : i),
                              max_tokens));
}

// create_requests_with_priority: arrival times in seconds -> microseconds.
void add_priority_requests(Scheduler& s, const std::vector<int>& priorities, const std::vector<double>& arrivals_s,
                           int num_tokens = 10, int start = 0) {
  for (std::size_t i = 0; i < priorities.size(); ++i) {
    const int id = start + static_cast<int>(i);
    ASSERT_TRUE(s.add_request(id, static_cast<std::int64_t>(arrivals_s[i] * 1e6),
                              std::vector<TokenId>(static_cast<std::size_t>(num_tokens), id), 16, priorities[i]));
  }
}

// What the model runner would return: one token for every chunk that reached its end.
std::map<RequestId, TokenId> model_output(const SchedulerOutput& out, TokenId tok = 1000) {
  std::map<RequestId, TokenId> m;
  for (const auto& c : out.scheduled)
    if (c.samples) m[c.id] = tok;
  return m;
}

std::vector<RequestId> ids(std::initializer_list<RequestId> l) { return std::vector<RequestId>(l); }

}  // namespace

// Port of test_add_requests.
TEST(LlmScheduler, TestAddRequests) {
  Scheduler s(make({}));
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(s.add_request(i, 0, std::vector<TokenId>(10, i), 16));
    EXPECT_NE(s.find(i), nullptr);
    EXPECT_EQ(s.waiting().size(), static_cast<std::size_t>(i + 1));
  }
  EXPECT_FALSE(s.add_request(3, 0, {1, 2}, 4));  // duplicate id
}

// Port of test_finish_request.
TEST(LlmScheduler, TestFinishRequest) {
  Scheduler s(make({}));
  add_requests(s, 10);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(s.finish_request(i));
    EXPECT_EQ(s.find(i), nullptr);
    EXPECT_EQ(s.waiting().size(), static_cast<std::size_t>(9 - i));
  }
}

// Port of test_get_num_unfinished_requests.
TEST(LlmScheduler, TestGetNumUnfinishedRequests) {
  Scheduler s(make({}));
  add_requests(s, 10);
  for (int i = 0; i < 10; ++i) {
    s.finish_request(i);
    EXPECT_EQ(s.num_unfinished(), 10 - i - 1);
  }
}

// Port of test_schedule (both parametrizations; prompt logprobs are not modelled).
TEST(LlmScheduler, TestSchedule) {
  for (bool caching : {false, true}) {
    Cfg c;
    c.enable_prefix_caching = caching;
    Scheduler s(make(c));
    add_requests(s, 10);
    const SchedulerOutput out = s.schedule();
    EXPECT_EQ(out.new_reqs.size(), 10u);
    EXPECT_TRUE(out.running_reqs.empty() && out.resumed_reqs.empty());
    EXPECT_TRUE(out.finished_since_last.empty());
    for (const auto& ch : out.scheduled) EXPECT_EQ(ch.num_tokens, 10);
    EXPECT_TRUE(s.waiting().empty());
    ASSERT_EQ(s.running().size(), 10u);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(s.running()[static_cast<std::size_t>(i)], i);
  }
}

// Port of test_schedule_concurrent_partial_requests (both parametrizations).
TEST(LlmScheduler, TestScheduleConcurrentPartialRequests) {
  for (bool caching : {true, false}) {
    Cfg c;
    c.max_num_batched_tokens = 1024;
    c.long_prefill_token_threshold = 400;
    c.enable_prefix_caching = caching;
    Scheduler s(make(c));
    add_requests(s, 3, 800);
    SchedulerOutput out = s.schedule();
    EXPECT_EQ(out.new_reqs.size(), 3u);
    EXPECT_EQ(out.tokens_for(0), 400);
    EXPECT_EQ(out.tokens_for(1), 400);
    EXPECT_EQ(out.tokens_for(2), 224);  // 1024 - 400 - 400
    s.update_from_output(out, model_output(out));  // all partial: nothing sampled

    SchedulerOutput out1 = s.schedule();
    EXPECT_EQ(s.running().size(), 3u);
    EXPECT_TRUE(out1.new_reqs.empty());
    EXPECT_EQ(out1.running_reqs.size(), 3u);
    EXPECT_EQ(out1.tokens_for(0), 400);
    EXPECT_EQ(out1.tokens_for(1), 400);
    EXPECT_EQ(out1.tokens_for(2), 224);
    const auto sampled = model_output(out1);  // requests 0 and 1 finished their prompts
    EXPECT_EQ(sampled.size(), 2u);
    s.update_from_output(out1, sampled);

    SchedulerOutput out2 = s.schedule();
    EXPECT_EQ(out2.running_reqs.size(), 3u);
    EXPECT_EQ(out2.tokens_for(0), 1);
    EXPECT_EQ(out2.tokens_for(1), 1);
    EXPECT_EQ(out2.tokens_for(2), 800 - 224 - 224);
  }
}

// Port of test_stop_via_update_from_output, case 3 (stop on max tokens), without spec tokens.
TEST(LlmScheduler, TestStopOnMaxTokens) {
  Scheduler s(make({}));
  add_requests(s, 2, 10, /*max_tokens=*/2);
  auto out = s.schedule();
  auto fin = s.update_from_output(out, model_output(out, 10));
  EXPECT_TRUE(fin.empty());
  out = s.schedule();
  fin = s.update_from_output(out, model_output(out, 11));
  ASSERT_EQ(fin.size(), 2u);
  for (const auto& r : fin) {
    EXPECT_EQ(r.status, RequestStatus::kFinishedLengthCapped);
    EXPECT_EQ(std::vector<TokenId>(r.tokens.begin() + r.num_prompt_tokens, r.tokens.end()), (std::vector<TokenId>{10, 11}));
  }
  EXPECT_TRUE(s.running().empty());
  EXPECT_EQ(s.schedule().finished_since_last, ids({0, 1}));
}

// check_stop also caps at max_model_len.
TEST(LlmScheduler, StopsAtMaxModelLen) {
  Cfg c;
  c.max_model_len = 16;
  c.max_num_batched_tokens = 64;
  Scheduler s(make(c));
  ASSERT_TRUE(s.add_request(0, 0, std::vector<TokenId>(10, 1), 100));
  std::vector<llm::Request> fin;
  for (int step = 0; step < 20 && fin.empty(); ++step) {
    auto out = s.schedule();
    fin = s.update_from_output(out, model_output(out));
  }
  ASSERT_EQ(fin.size(), 1u);
  EXPECT_EQ(fin[0].num_tokens(), 16);
  EXPECT_EQ(fin[0].num_output_tokens(), 6);
}

// Port of test_schedule_concurrent_batches (both parametrizations): a request whose previous
// step is still in flight gets no tokens, and the next request is scheduled instead.
TEST(LlmScheduler, TestScheduleConcurrentBatches) {
  for (bool caching : {false, true}) {
    Cfg c;
    c.max_num_batched_tokens = 1024;
    c.max_num_seqs = 2;
    c.enable_prefix_caching = caching;
    Scheduler s(make(c));
    add_requests(s, 1, 512);
    const auto out0 = s.schedule();
    EXPECT_EQ(out0.new_reqs.size(), 1u);
    EXPECT_EQ(out0.tokens_for(0), 512);
    add_requests(s, 1, 512, 16, 1);
    const auto out1 = s.schedule();
    EXPECT_EQ(out1.new_reqs, ids({1}));
    EXPECT_EQ(out1.tokens_for(1), 512);
    EXPECT_EQ(out1.tokens_for(0), 0);
    s.update_from_output(out0, {{0, 0}});
    const auto out2 = s.schedule();
    EXPECT_EQ(out2.tokens_for(0), 1);
    s.update_from_output(out1, {{1, 0}});
    EXPECT_EQ(s.request(1).num_output_tokens(), 1);
  }
}

// Port of test_schedule_order (both parametrizations).
TEST(LlmScheduler, TestScheduleOrder) {
  for (bool chunked : {true, false}) {
    Cfg c;
    c.max_num_batched_tokens = 1024;
    c.max_num_seqs = 3;
    c.enable_chunked_prefill = chunked;
    Scheduler s(make(c));
    add_requests(s, 2, 800, 16, 1);  // long requests "1", "2"
    add_requests(s, 2, 10, 16, 3);   // short requests "3", "4"
    const auto out = s.schedule();
    // Without chunking the scheduler does not skip the long request to run the short ones.
    EXPECT_EQ(out.new_reqs.size(), chunked ? 2u : 1u) << "chunked=" << chunked;
  }
}

// Port of test_preempt_during_execution.
TEST(LlmScheduler, TestPreemptDuringExecution) {
  Cfg c;
  c.max_num_batched_tokens = 100;
  c.num_blocks = 11;  // 10 usable: block 0 is the null block
  Scheduler s(make(c));
  add_requests(s, 1, 80);
  const auto out0 = s.schedule();
  ASSERT_EQ(out0.scheduled.size(), 1u);
  EXPECT_EQ(s.kv().blocks_of(0).size(), 5u);
  add_requests(s, 1, 80, 16, 1);  // scheduled while request 0's step is in flight
  const auto out1 = s.schedule();
  ASSERT_EQ(out1.scheduled.size(), 1u);
  EXPECT_EQ(out1.new_reqs, ids({1}));
  EXPECT_EQ(s.kv().blocks_of(1).size(), 5u);
  s.update_from_output(out0, {{0, 0}});
  // Request 0 needs a sixth block: the cache is full, so request 1 is preempted.
  const auto out2 = s.schedule();
  EXPECT_EQ(s.running(), ids({0}));
  EXPECT_EQ(s.request(1).status, RequestStatus::kPreempted);
  EXPECT_EQ(out2.preempted, ids({1}));
  // The preempted request still receives the token its in-flight step produced.
  s.update_from_output(out1, {{1, 42}});
  ASSERT_EQ(s.request(1).num_output_tokens(), 1);
  EXPECT_EQ(s.request(1).tokens.back(), 42);
}

// Port of test_scheduler_reset_prefix_cache.
TEST(LlmScheduler, TestSchedulerResetPrefixCache) {
  Cfg c;
  c.enable_prefix_caching = true;
  Scheduler s(make(c));
  add_requests(s, 10);
  s.schedule();
  EXPECT_TRUE(s.waiting().empty());
  EXPECT_EQ(s.running().size(), 10u);
  EXPECT_FALSE(s.reset_prefix_cache());
  EXPECT_TRUE(s.reset_prefix_cache(true));
  EXPECT_TRUE(s.running().empty());
  const auto w = s.waiting();
  ASSERT_EQ(w.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(w[static_cast<std::size_t>(i)], i);
}

// Port of test_memory_leak (with assert_scheduler_empty).
TEST(LlmScheduler, TestMemoryLeak) {
  Cfg c;
  c.enable_prefix_caching = true;
  Scheduler s(make(c));
  for (int i = 0; i < 5; ++i) {
    add_requests(s, 1, 10, 10, i);
    const auto out = s.schedule();
    s.update_from_output(out, model_output(out));
  }
  for (;;) {
    const auto out = s.schedule();
    if (s.running().empty()) break;
    s.update_from_output(out, model_output(out));
  }
  EXPECT_EQ(s.num_unfinished(), 0);
  EXPECT_EQ(s.kv().num_tracked_requests(), 0);
  EXPECT_EQ(s.kv().pool().num_free_blocks(), 10000 - 1);
  for (int id = 0; id < 10000; ++id) EXPECT_EQ(s.kv().pool().block(id).ref_cnt, 0);
}

// ---------------------------------------------------------------- priority policy ports

namespace {
Cfg priority_cfg() {  // create_scheduler_with_priority defaults
  Cfg c;
  c.policy = Policy::kPriority;
  return c;
}
}  // namespace

// Port of test_priority_scheduling_basic_ordering.
TEST(LlmSchedulerPriority, TestBasicOrdering) {
  Scheduler s(make(priority_cfg()));
  add_priority_requests(s, {2, 0, 1}, {1.0, 2.0, 3.0});
  EXPECT_EQ(s.schedule().new_reqs, ids({1, 2, 0}));
}

// Port of test_priority_scheduling_arrival_time_tiebreaker.
TEST(LlmSchedulerPriority, TestArrivalTimeTiebreaker) {
  Scheduler s(make(priority_cfg()));
  add_priority_requests(s, {1, 1, 1}, {3.0, 1.0, 2.0});
  EXPECT_EQ(s.schedule().new_reqs, ids({1, 2, 0}));
}

// Port of test_priority_scheduling_mixed_priority_and_arrival.
TEST(LlmSchedulerPriority, TestMixedPriorityAndArrival) {
  Scheduler s(make(priority_cfg()));
  add_priority_requests(s, {2, 1, 1, 0}, {1.0, 3.0, 2.0, 4.0});
  EXPECT_EQ(s.schedule().new_reqs, ids({3, 2, 1, 0}));
}

// Port of test_priority_scheduling_no_preemption_when_space_available.
TEST(LlmSchedulerPriority, TestNoPreemptionWhenSpaceAvailable) {
  Cfg c = priority_cfg();
  c.max_num_seqs = 3;
  c.max_num_batched_tokens = 200;
  Scheduler s(make(c));
  add_priority_requests(s, {5, 5}, {1.0, 2.0}, 30);
  auto out = s.schedule();
  s.update_from_output(out, model_output(out, 100));
  add_priority_requests(s, {0}, {3.0}, 30, 2);
  out = s.schedule();
  EXPECT_EQ(out.new_reqs.size(), 1u);
  EXPECT_EQ(s.running().size(), 3u);
  EXPECT_TRUE(s.waiting().empty());
}

// Ports of test_priority_scheduling_preemption_victim_selection and
// test_priority_scheduling_waiting_queue_order (max_num_seqs = 1).
TEST(LlmSchedulerPriority, TestVictimSelectionAndWaitingQueueOrder) {
  {
    Cfg c = priority_cfg();
    c.max_num_seqs = 1;
    Scheduler s(make(c));
    add_priority_requests(s, {3, 2, 0}, {1.0, 2.0, 3.0});
    EXPECT_EQ(s.schedule().new_reqs, ids({2}));
    EXPECT_EQ(s.waiting(), ids({1, 0}));
  }
  {
    Cfg c = priority_cfg();
    c.max_num_seqs = 1;
    Scheduler s(make(c));
    add_priority_requests(s, {3, 1, 2, 0}, {1.0, 2.0, 3.0, 4.0});
    EXPECT_EQ(s.schedule().new_reqs, ids({3}));
    EXPECT_EQ(s.waiting(), ids({1, 2, 0}));
  }
}

// Port of test_priority_scheduling_equal_priority_preemption.
TEST(LlmSchedulerPriority, TestEqualPriorityUsesArrival) {
  Cfg c = priority_cfg();
  c.max_num_seqs = 1;
  Scheduler s(make(c));
  add_priority_requests(s, {2, 2, 2}, {3.0, 1.0, 2.0});
  EXPECT_EQ(s.schedule().new_reqs, ids({1}));
  EXPECT_EQ(s.waiting(), ids({2, 0}));
}

// Ports of test_priority_scheduling_fcfs_fallback and ..._with_limited_slots.
TEST(LlmSchedulerPriority, TestFcfsFallbackAndLimitedSlots) {
  {
    Scheduler s(make(priority_cfg()));
    add_priority_requests(s, {1, 1, 1, 1}, {4.0, 1.0, 3.0, 2.0});
    EXPECT_EQ(s.schedule().new_reqs, ids({1, 3, 2, 0}));
  }
  {
    Cfg c = priority_cfg();
    c.max_num_seqs = 2;
    c.max_num_batched_tokens = 1000;
    Scheduler s(make(c));
    add_priority_requests(s, {3, 1, 2, 0}, {1.0, 2.0, 3.0, 4.0});
    EXPECT_EQ(s.schedule().new_reqs, ids({3, 1}));
    EXPECT_EQ(s.waiting(), ids({2, 0}));
  }
}

// Port of test_priority_scheduling_heap_property.
TEST(LlmSchedulerPriority, TestHeapProperty) {
  Cfg c = priority_cfg();
  c.max_num_seqs = 1;
  Scheduler s(make(c));
  const std::vector<int> prio = {5, 1, 8, 3, 2, 7, 4, 6};
  add_priority_requests(s, prio, {0, 1, 2, 3, 4, 5, 6, 7});
  std::vector<int> seen;
  while (!s.waiting().empty()) {
    const auto out = s.schedule();
    if (!out.new_reqs.empty()) {
      const RequestId id = out.new_reqs[0];
      seen.push_back(prio[static_cast<std::size_t>(id)]);
      s.update_from_output(out, model_output(out, 100));
      s.finish_request(id);
    }
  }
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
}

// Port of test_priority_scheduling_preemption_and_resumption_when_out_of_kv (without the KV
// connector, which has nothing to load there).
TEST(LlmSchedulerPriority, TestPreemptionAndResumptionWhenOutOfKv) {
  Cfg c = priority_cfg();
  c.max_num_seqs = 2;
  c.max_num_batched_tokens = 200;
  c.num_blocks = 5;  // 64 tokens: the first block is the null block
  c.max_model_len = 64;
  Scheduler s(make(c));
  add_priority_requests(s, {1}, {0.0}, 30, 0);  // low
  auto out = s.schedule();
  EXPECT_EQ(out.new_reqs.size(), 1u);
  s.update_from_output(out, {{0, 100}});
  add_priority_requests(s, {0}, {1.0}, 32, 1);  // high
  out = s.schedule();
  EXPECT_EQ(s.kv().pool().num_free_blocks(), 0);
  EXPECT_EQ(out.new_reqs.size(), 1u);
  EXPECT_EQ(out.running_reqs.size(), 1u);
  EXPECT_EQ(s.running().size(), 2u);
  s.update_from_output(out, {{0, 100}, {1, 100}});
  // low needs 32 slots = 2 blocks, high 33 = 3 blocks: 5 > 4, so low (priority 1) goes.
  out = s.schedule();
  EXPECT_TRUE(out.new_reqs.empty());
  EXPECT_EQ(out.running_reqs, ids({1}));
  EXPECT_EQ(out.tokens_for(0), 0);  // it had been scheduled first, then taken back
  EXPECT_EQ(s.request(0).status, RequestStatus::kPreempted);
  EXPECT_EQ(s.waiting().size(), 1u);
  EXPECT_EQ(s.running().size(), 1u);
  s.update_from_output(out, {{1, 100}});
  s.finish_request(1);
  out = s.schedule();
  EXPECT_TRUE(out.new_reqs.empty());
  EXPECT_EQ(out.resumed_reqs, ids({0}));
  EXPECT_TRUE(s.waiting().empty());
  EXPECT_EQ(s.running().size(), 1u);
  // Resumed: 30 prompt + 2 decoded tokens, all recomputed.
  EXPECT_EQ(s.request(0).num_tokens(), 32);
  EXPECT_EQ(s.request(0).tokens[31], 100);
  EXPECT_EQ(out.tokens_for(0), 32);
}

// ---------------------------------------------------------------- FCFS behaviour from the code

// FCFS preemption: the victim is the LAST running request; it goes to the FRONT of the waiting
// queue; a step that preempted admits nobody, even with budget left.
TEST(LlmScheduler, FcfsPreemptsLastRunningAndAdmitsNobodyThatStep) {
  Cfg c;
  c.block_size = 4;
  c.num_blocks = 7;  // 6 usable
  c.max_model_len = 24;
  c.max_num_batched_tokens = 64;
  Scheduler s(make(c));
  add_requests(s, 3, 8, 8);  // A=0, B=1, C=2: two blocks each, cache full
  auto out = s.schedule();
  EXPECT_EQ(out.new_reqs, ids({0, 1, 2}));
  EXPECT_EQ(s.kv().pool().num_free_blocks(), 0);
  s.update_from_output(out, model_output(out));
  add_requests(s, 1, 4, 8, 3);  // D would fit in a block freed by the preemption
  out = s.schedule();
  EXPECT_EQ(out.preempted, ids({2}));
  EXPECT_EQ(out.running_reqs, ids({0, 1}));
  EXPECT_TRUE(out.new_reqs.empty());
  EXPECT_EQ(s.waiting(), ids({2, 3}));  // C ahead of D
  EXPECT_EQ(s.request(2).num_computed_tokens, 0);
  EXPECT_EQ(s.request(2).num_output_tokens(), 1);  // kept: recomputed later
  EXPECT_EQ(s.request(2).num_preemptions, 1);
  EXPECT_EQ(s.total_preemptions(), 1);
}

// When the request that needs a block is itself the last one, it preempts itself and the
// running pass stops.
TEST(LlmScheduler, FcfsRequestCanPreemptItself) {
  Cfg c;
  c.block_size = 4;
  c.num_blocks = 2;  // 1 usable block = 4 tokens
  c.max_model_len = 8;
  c.max_num_batched_tokens = 16;
  Scheduler s(make(c));
  ASSERT_TRUE(s.add_request(0, 0, {1, 2, 3, 4}, 4));
  auto out = s.schedule();
  s.update_from_output(out, model_output(out));  // 5 tokens now: needs a second block
  out = s.schedule();
  EXPECT_EQ(out.preempted, ids({0}));
  EXPECT_EQ(out.total_num_scheduled_tokens, 0);
  EXPECT_EQ(s.waiting(), ids({0}));
  EXPECT_TRUE(s.running().empty());
}

TEST(LlmScheduler, LongPrefillThresholdCapsEveryRequestEveryStep) {
  Cfg c;
  c.max_num_batched_tokens = 1000;
  c.long_prefill_token_threshold = 300;
  Scheduler s(make(c));
  add_requests(s, 1, 700);
  std::vector<int> chunks;
  for (int step = 0; step < 3; ++step) {
    auto out = s.schedule();
    chunks.push_back(out.tokens_for(0));
    s.update_from_output(out, model_output(out));
  }
  EXPECT_EQ(chunks, (std::vector<int>{300, 300, 100}));
  EXPECT_EQ(s.request(0).num_output_tokens(), 1);
}

TEST(LlmScheduler, RunningDecodesGoFirstThenWaitingPrefillIsChunked) {
  Cfg c;
  c.max_num_batched_tokens = 32;
  c.max_num_seqs = 4;
  c.max_model_len = 256;
  Scheduler s(make(c));
  add_requests(s, 1, 16, 8);
  auto out = s.schedule();
  s.update_from_output(out, model_output(out));
  add_requests(s, 1, 100, 8, 1);
  out = s.schedule();
  ASSERT_EQ(out.scheduled.size(), 2u);
  EXPECT_EQ(out.scheduled[0].id, 0);
  EXPECT_TRUE(out.scheduled[0].is_decode);
  EXPECT_EQ(out.scheduled[0].num_tokens, 1);
  EXPECT_EQ(out.scheduled[1].id, 1);
  EXPECT_EQ(out.scheduled[1].num_tokens, 31);
  EXPECT_FALSE(out.scheduled[1].samples);
  EXPECT_EQ(out.total_num_scheduled_tokens, 32);
}

TEST(LlmScheduler, MaxNumSeqsCapsAdmissions) {
  Cfg c;
  c.max_num_seqs = 3;
  Scheduler s(make(c));
  add_requests(s, 5);
  const auto out = s.schedule();
  EXPECT_EQ(out.new_reqs, ids({0, 1, 2}));
  EXPECT_EQ(s.waiting(), ids({3, 4}));
}

TEST(LlmScheduler, HeadOfLineBlockingWhenKvIsShort) {
  Cfg c;
  c.block_size = 16;
  c.num_blocks = 8;  // 7 usable = 112 tokens
  c.max_model_len = 112;
  Scheduler s(make(c));
  ASSERT_TRUE(s.add_request(0, 0, std::vector<TokenId>(80, 1), 4));  // 5 blocks
  ASSERT_TRUE(s.add_request(1, 1, std::vector<TokenId>(60, 2), 4));  // 4 blocks: does not fit
  ASSERT_TRUE(s.add_request(2, 2, std::vector<TokenId>(10, 3), 4));  // 1 block: would fit
  const auto out = s.schedule();
  EXPECT_EQ(out.new_reqs, ids({0}));  // strict FCFS: 2 waits behind 1
  EXPECT_EQ(s.waiting(), ids({1, 2}));
}

TEST(LlmScheduler, PrefixCacheHitSkipsSharedTokens) {
  Cfg c;
  c.enable_prefix_caching = true;
  Scheduler s(make(c));
  std::vector<TokenId> system(48, 7);
  std::vector<TokenId> a = system, b = system;
  a.insert(a.end(), {1, 2, 3, 4, 5});
  b.insert(b.end(), {9, 9, 9});
  ASSERT_TRUE(s.add_request(0, 0, a, 4));
  auto out = s.schedule();
  EXPECT_EQ(out.scheduled[0].prefix_hit_tokens, 0);
  s.update_from_output(out, model_output(out));
  ASSERT_TRUE(s.add_request(1, 1, b, 4));
  out = s.schedule();
  const auto* ch = out.chunk(1);
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(ch->prefix_hit_tokens, 48);
  EXPECT_EQ(ch->num_tokens, 3);
  EXPECT_EQ(s.request(1).num_cached_tokens, 48);
  EXPECT_EQ(s.kv().blocks_of(1).front(), s.kv().blocks_of(0).front());
}

// Preemption by recompute is cheap with prefix caching: the victim's blocks are freed tail
// first, so the blocks that another request grabs right away are its LAST ones and its prefix
// survives in the cache; on resume it hits it.
TEST(LlmScheduler, PreemptedRequestResumesWithAPrefixHitOnItsOwnBlocks) {
  Cfg c;
  c.block_size = 4;
  c.num_blocks = 7;  // 6 usable
  c.max_model_len = 24;
  c.max_num_batched_tokens = 64;
  c.enable_prefix_caching = true;
  Scheduler s(make(c));
  ASSERT_TRUE(s.add_request(0, 0, std::vector<TokenId>(12, 1), 2));  // A: 3 full blocks
  ASSERT_TRUE(s.add_request(1, 1, std::vector<TokenId>(12, 2), 8));  // C: 3 full blocks
  auto out = s.schedule();
  s.update_from_output(out, model_output(out));
  const std::vector<int> c_blocks = s.kv().blocks_of(1);
  out = s.schedule();  // A needs a 4th block: C (last) is preempted
  EXPECT_EQ(out.preempted, ids({1}));
  EXPECT_EQ(s.kv().blocks_of(0).back(), c_blocks[2]);  // A took C's tail block
  auto fin = s.update_from_output(out, model_output(out));
  ASSERT_EQ(fin.size(), 1u);  // A is done
  out = s.schedule();
  ASSERT_EQ(out.resumed_reqs, ids({1}));
  const auto* ch = out.chunk(1);
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(ch->prefix_hit_tokens, 8);  // blocks 1 and 2 of C were still cached
  EXPECT_EQ(ch->num_tokens, 13 - 8);
  EXPECT_EQ(s.kv().blocks_of(1)[0], c_blocks[0]);
  EXPECT_EQ(s.kv().blocks_of(1)[1], c_blocks[1]);
}
