// The LLM-serving widget's Scenario (src/widgets/llm): the parameters and vLLM's own
// cross-parameter rules, the model's engines fed window by window (as the scenario feeds
// them) against the same requests up front, step for step, an action's requests joining
// the next step, replay (advance splits freely, a Run replays its action log to the same
// digest), the actions applied and refused, and the presets' stories measured in the model.
// Measured numbers (seed 1, 60 s, the schema's defaults unless said) are in the comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/core/rng.h"
#include "sim/llm/engine.h"
#include "widgets/catalog.h"
#include "widgets/llm/scenario.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"
#include "widgets/run.h"

namespace scalebook::widgets {
namespace {

using llm::LlmScenario;
namespace sl = sim::llm;

const WidgetInfo& info() { return *find_widget("llm"); }

ParamMap with(ParamEdits edits) {
  ParamMap p = default_params(info());
  const EditOutcome o = apply_edits(info(), p, edits);
  EXPECT_NE(o.result, EditResult::Refused) << o.message;
  return p;
}

ParamMap preset(const char* id) { return preset_params(info(), *find_preset(info(), id)); }

Action action(std::int64_t t_us, std::string name, std::vector<std::string> args = {}) {
  Action a{t_us, std::move(name), std::move(args)};
  EXPECT_EQ(normalise_action(info(), a), "");
  return a;
}

LlmScenario run_for(const ParamMap& p, std::uint64_t seed = 1, std::int64_t us = -1) {
  LlmScenario s;
  s.configure(p, seed);
  EXPECT_TRUE(s.ok()) << s.error();
  s.advance(us < 0 ? s.duration_us() : us);
  return s;
}

std::string refusal(ParamEdits edits) {
  ParamMap p = default_params(info());
  const EditOutcome o = apply_edits(info(), p, edits);
  EXPECT_EQ(o.result, EditResult::Refused);
  return o.message;
}

TEST(LlmScenario, ParametersAreCheckedOneByOneAndAsvLLMChecksThemTogether) {
  EXPECT_EQ(refusal({{"rate", "0"}}), "parameter 'rate': value 0 is out of range [0.1, 30]");
  EXPECT_NE(refusal({{"mode", "dynamic"}}).find("parameter 'mode'"), std::string::npos);
  EXPECT_NE(refusal({{"block_size", "12"}}).find("parameter 'block_size'"), std::string::npos);
  EXPECT_EQ(refusal({{"max_num_seqs", "128"}, {"max_num_batched_tokens", "64"}}),
            "parameter 'max_num_batched_tokens': vLLM requires at least max_num_seqs (128) tokens per step, one for "
            "each running request");
  EXPECT_EQ(refusal({{"chunked_prefill", "false"}}),
            "parameter 'max_num_batched_tokens': without chunked prefill a whole prompt must fit in one step, so vLLM "
            "requires at least max_model_len (4096) tokens");
  EXPECT_EQ(refusal({{"kv_blocks", "200"}}),
            "parameter 'kv_blocks': one sequence of max_model_len 4096 tokens needs 256 blocks of 16 and the cache has "
            "199 (one block is vLLM's null block)");
  EXPECT_EQ(refusal({{"shared_prefix", "3072"}}),
            "parameter 'prompt_max': a prompt of up to 4096 tokens (shared prefix included) leaves no room for an "
            "output in max_model_len 4096");
  EXPECT_EQ(refusal({{"prompt_min", "2000"}}),
            "parameter 'prompt_min': the shortest prompt is longer than the longest (prompt_max 1024)");
  EXPECT_EQ(refusal({{"output_min", "600"}}),
            "parameter 'output_min': the shortest output is longer than the longest (output_max 512)");
  // The boundary cases run.
  ParamMap p = default_params(info());
  EXPECT_EQ(apply_edits(info(), p, {{"kv_blocks", "257"}}).result, EditResult::Applied);
  EXPECT_EQ(apply_edits(info(), p, {{"chunked_prefill", "false"}, {"max_num_batched_tokens", "4096"}}).result,
            EditResult::Applied);
  // The parameters reach the scheduler as vLLM's flags.
  LlmScenario s;
  s.configure(with({{"block_size", "32"}, {"max_num_seqs", "16"}, {"prefix_caching", "false"}}), 1);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.config().block_size, 32);
  EXPECT_EQ(s.config().max_num_seqs, 16);
  EXPECT_EQ(s.config().num_gpu_blocks, 1024);
  EXPECT_FALSE(s.config().enable_prefix_caching);
  EXPECT_TRUE(s.config().enable_chunked_prefill);
}

void expect_same_steps(const std::vector<sl::StepRecord>& a, const std::vector<sl::StepRecord>& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto& x = a[i];
    const auto& y = b[i];
    ASSERT_TRUE(x.start_us == y.start_us && x.duration_us == y.duration_us && x.num_reqs == y.num_reqs &&
                x.num_prefill_reqs == y.num_prefill_reqs && x.num_decode_reqs == y.num_decode_reqs &&
                x.tokens == y.tokens && x.decode_context_tokens == y.decode_context_tokens &&
                x.kv_used_blocks == y.kv_used_blocks && x.kv_free_blocks == y.kv_free_blocks &&
                x.kv_free_cached_blocks == y.kv_free_cached_blocks && x.preemptions == y.preemptions &&
                x.prefix_hit_tokens == y.prefix_hit_tokens && x.new_reqs == y.new_reqs && x.finished == y.finished &&
                x.running == y.running && x.waiting == y.waiting)
        << what << ": step " << i << " at " << x.start_us << " vs " << y.start_us;
  }
}

// The scenario drives the model's engines, started empty and fed its workload 10 s window by
// window with add_request while step_until keeps idle jumps short of the time reached.
// Without actions that must be the run the engine gives the same requests up front: the
// same steps, field by field, for the defaults and four presets; and the scenario's own
// counters, read from each step's batch, agree with the engine's result.
TEST(LlmScenario, FeedingTheEngineWindowByWindowIsTheUpFrontRun) {
  const std::int64_t until = 30'000'000;
  for (const char* id : {"", "kv-pressure", "prefix-cache", "no-chunking", "static-batching"}) {
    const ParamMap p = *id ? preset(id) : default_params(info());
    const LlmScenario s = run_for(p, 3, until);
    sl::EngineDesc d;
    d.scheduler = s.config();
    const std::vector<sl::RequestSpec> w = s.base_workload(until);
    ASSERT_GT(w.size(), 40u) << id;
    std::vector<sl::StepRecord> model;
    std::int64_t outputs = 0;
    auto run = [&](auto& e) {
      while (e.now_us() < until && e.step())
        if (e.steps().size() > model.size() && e.steps().back().start_us < until) {
          model.push_back(e.steps().back());
          for (const auto& b : e.last_batch()) outputs += b.sampled;
        }
    };
    if (s.continuous()) {
      sl::ContinuousEngine e(d, w);
      run(e);
    } else {
      sl::StaticEngine e(d, w);
      run(e);
    }
    expect_same_steps(s.steps(), model, *id ? id : "defaults");
    // Tokens of steps under way at `until` are stamped at their end, and the scenario counts them.
    EXPECT_EQ(s.output_tokens(), outputs) << id;
  }
  // And the workload is Poisson at the rate asked for, across the 10 s windows.
  const LlmScenario s = run_for(with({{"rate", "10"}, {"duration", "300"}}), 1, 0);
  const auto w = s.base_workload(300'000'000);
  EXPECT_NEAR(static_cast<double>(w.size()), 3000.0, 3 * 55.0);  // 3 sigma of Poisson(3000)
  EXPECT_TRUE(std::is_sorted(w.begin(), w.end(), [](const auto& a, const auto& b) { return a.arrival_us < b.arrival_us; }));
}

// An action's requests go to the engine with add_request at the action's time: they join the
// first step that starts at or after it (the step under way, begun before, does not see them).
TEST(LlmScenario, AnActionsRequestsJoinTheFirstStepAtOrAfterIt) {
  for (const char* mode : {"continuous", "static"}) {
    LlmScenario s;
    s.configure(with({{"mode", mode}}), 2);
    ASSERT_TRUE(s.ok());
    s.advance(3'000'050);
    const std::size_t before = s.steps().size();
    const int arrived = s.arrived();
    ASSERT_EQ(s.act(action(3'000'050, "long-prompt", {"2000", "8"})), "");
    while (s.steps().size() == before) s.advance(1'000);
    const sl::StepRecord& first = s.steps()[before];
    EXPECT_GE(first.start_us, 3'000'050) << mode;
    EXPECT_GE(s.arrived(), arrived + 1) << mode;
    // Continuous batching schedules (a chunk of) it in that very step; a static batch only
    // when the batch under way is over.
    bool in_batch = false;
    for (const auto& e : s.last_batch()) in_batch = in_batch || e.id == llm::kActionIdBase;
    if (std::string(mode) == "continuous") {
      EXPECT_TRUE(in_batch) << "continuous";
    }
    for (std::size_t i = 0; i < before; ++i) EXPECT_LT(s.steps()[i].start_us, 3'000'050);
  }
}

TEST(LlmScenario, AdvanceSplitsFreelyForEveryPreset) {
  std::vector<ParamMap> all = {default_params(info())};
  for (const auto& pr : info().presets) all.push_back(preset_params(info(), pr));
  for (const auto& p : all) {
    LlmScenario a, b;
    a.configure(p, 4);
    b.configure(p, 4);
    for (int i = 0; i < 61; ++i) a.advance(163'937);
    b.advance(61 * 163'937);
    EXPECT_EQ(a.state_json(), b.state_json()) << get_text(p, "mode");
    EXPECT_EQ(a.summary(), b.summary());
    EXPECT_EQ(a.tok_s().total(), 101u);  // samples at 0, 0.1, …, 10 s
    for (std::size_t i = 0; i < a.tok_s().size(); ++i) {
      ASSERT_EQ(a.tok_s()[i], b.tok_s()[i]);
      ASSERT_EQ(a.ttft_p99_s()[i], b.ttft_p99_s()[i]);
      ASSERT_EQ(a.kv_s()[i], b.kv_s()[i]);
    }
  }
}

TEST(LlmScenario, SameIdentitySameDigestAndTheSeedMatters) {
  const std::vector<Action> log = {action(300'000, "burst"), action(4'000'000, "long-prompt"),
                                   action(7'500'000, "reset-prefix-cache")};
  widgets::Run a(info(), make_scenario("llm")), b(info(), make_scenario("llm")), c(info(), make_scenario("llm"));
  a.configure(default_params(info()), 7, log);
  b.configure(default_params(info()), 7, log);
  c.configure(default_params(info()), 8, log);
  a.seek(12'000'000);
  for (int i = 0; i < 40; ++i) b.advance(300'000);
  c.seek(12'000'000);
  EXPECT_EQ(a.digest(), b.digest());
  EXPECT_NE(a.digest(), c.digest());
  EXPECT_TRUE(a.refused().empty());
  // A seek backwards replays the log from 0.
  a.seek(2'000'000);
  a.seek(12'000'000);
  EXPECT_EQ(a.digest(), b.digest());
  // Without the actions the run is another one.
  widgets::Run plain(info(), make_scenario("llm"));
  plain.configure(default_params(info()), 7, {});
  plain.seek(12'000'000);
  EXPECT_NE(plain.digest(), a.digest());
  const auto& s = static_cast<const LlmScenario&>(a.scenario());
  ASSERT_EQ(s.events().size(), 3u);
  EXPECT_EQ(s.events()[0], "0.30 s: 20 requests arrived at once");
  EXPECT_EQ(s.events()[1], "4.00 s: a 3,000-token prompt arrived");
  EXPECT_EQ(s.events()[2].rfind("7.50 s: prefix cache reset; ", 0), 0u) << s.events()[2];
  EXPECT_NE(s.state_json().find("\"action_requests\":21"), std::string::npos) << s.state_json();
}

TEST(LlmScenario, ActionsApplyOrAreRefusedWithAReason) {
  LlmScenario s;
  s.configure(default_params(info()), 1);
  s.advance(300'000);
  // The first action with its default arguments at 0.3 s (the browser test does this).
  const ActionSpec& first = info().actions.front();
  std::vector<std::string> defaults;
  for (const auto& arg : first.args) defaults.emplace_back(arg.default_value);
  const int before = s.waiting() + s.running();
  EXPECT_EQ(s.act(action(s.time_us(), std::string(first.name), defaults)), "");
  EXPECT_EQ(s.waiting() + s.running(), before + 20);  // they arrived at 0.3 s; the engine sees them next step
  EXPECT_EQ(s.act(action(s.time_us(), "long-prompt", {"4096", "8"})),
            "action 'long-prompt': a prompt of 4096 tokens leaves no room for an output in max_model_len 4096");
  EXPECT_EQ(s.act(action(s.time_us(), "long-prompt", {"4095", "8"})), "");
  EXPECT_EQ(s.act(action(s.time_us(), "reset-prefix-cache")), "");
  LlmScenario st;
  st.configure(preset("static-batching"), 1);
  EXPECT_EQ(st.act(action(0, "reset-prefix-cache")), "action 'reset-prefix-cache': static batching keeps no prefix cache");
  EXPECT_EQ(st.act(action(0, "burst", {"5"})), "");
  LlmScenario off;
  off.configure(with({{"prefix_caching", "false"}}), 1);
  EXPECT_EQ(off.act(action(0, "reset-prefix-cache")), "action 'reset-prefix-cache': prefix caching is off");
  s.advance(s.duration_us());
  EXPECT_FALSE(s.animating());
  EXPECT_EQ(s.act(action(s.time_us(), "burst", {"1"})), "action 'burst': the run is over");
  EXPECT_NE(s.summary().find("The run is over."), std::string::npos);
}

// Continuous batching against the static baseline at the default load (4 req/s, prompts
// 128-1024, outputs 32-512, 64 seqs): measured seed 1, 60 s: 984 vs 687 output tokens/s,
// TTFT p50 81 ms vs 9.36 s; seeds 2-4: 1009/634, 996/646, 937/632 tokens/s.
TEST(LlmScenario, ContinuousBatchingOutservesStaticBatchingAtTheDefaultLoad) {
  const LlmScenario c = run_for(default_params(info()));
  const LlmScenario s = run_for(preset("static-batching"));
  EXPECT_GT(c.throughput_tok_s(), 1.3 * s.throughput_tok_s()) << c.throughput_tok_s() << " vs " << s.throughput_tok_s();
  EXPECT_GT(c.throughput_tok_s(), 900);  // it keeps up: 4 req/s x 272 mean outputs = 1,088 tokens/s offered
  EXPECT_LT(c.ttft_percentile_us(50), 200'000);
  EXPECT_GT(s.ttft_percentile_us(50), 5'000'000);  // static: a new arrival waits for the whole batch ahead
  EXPECT_GT(s.waiting(), 30);                      // and the queue grows (69 at 60 s)
  EXPECT_LE(c.waiting(), 5);
  // Static batching's inter-token gaps are steady (one decode step each, no prefill mixed in).
  EXPECT_LT(s.itl_percentile_us(99), 20'000);
}

// A 1,024-token system prompt on every request, prefix caching on vs off: measured seed 1:
// mean TTFT 100 ms vs 13.3 s; 229,696 prompt tokens served from the cache; off, the prefix
// also takes 64 KV blocks per request and the server falls behind (534 vs 981 tokens/s).
TEST(LlmScenario, PrefixCachingCutsTimeToFirstToken) {
  const LlmScenario on = run_for(preset("prefix-cache"));
  const LlmScenario off = run_for(with({{"shared_prefix", "1024"}, {"prefix_caching", "false"}}));
  EXPECT_LT(on.ttft_mean_us() * 5, off.ttft_mean_us()) << on.ttft_mean_us() << " vs " << off.ttft_mean_us();
  EXPECT_GT(on.prefix_hit_tokens(), 150'000);
  EXPECT_EQ(off.prefix_hit_tokens(), 0);
  EXPECT_GT(on.throughput_tok_s(), 1.5 * off.throughput_tok_s());
}

// Long prompts (exponential, up to 3,500 tokens, 2 req/s). Without chunked prefill vLLM needs
// a budget of max_model_len (4096), so a long prompt goes in one step of ~0.3 s: p99 ITL
// measured 193 ms (seed 1); with chunked prefill and a 512-token budget, 60 ms. (Chunked
// prefill with the same 4096 budget measured 192 ms: it is the smaller budget chunking allows
// that keeps the decodes moving.)
TEST(LlmScenario, WithoutChunkedPrefillLongPromptsStallTheDecodes) {
  const LlmScenario whole = run_for(preset("no-chunking"));
  const LlmScenario chunked = run_for(preset("chunked"));
  EXPECT_GT(whole.itl_percentile_us(99), 2 * chunked.itl_percentile_us(99))
      << whole.itl_percentile_us(99) << " vs " << chunked.itl_percentile_us(99);
  EXPECT_LT(chunked.itl_percentile_us(99), 80'000);
  int biggest_whole = 0, biggest_chunked = 0;
  for (const auto& st : whole.steps()) biggest_whole = std::max(biggest_whole, st.tokens);
  for (const auto& st : chunked.steps()) biggest_chunked = std::max(biggest_chunked, st.tokens);
  EXPECT_GT(biggest_whole, 2000);
  EXPECT_LE(biggest_chunked, 512);
  // The long-prompt action: a 3,000-token prompt, chunked into a 512 budget over 6+ steps.
  LlmScenario s;
  s.configure(preset("chunked"), 1);
  s.advance(10'000'000);
  ASSERT_EQ(s.act(action(s.time_us(), "long-prompt")), "");
  const std::size_t from = s.steps().size();
  s.advance(3'000'000);
  int chunks = 0;
  for (std::size_t i = from; i < s.steps().size(); ++i) chunks += s.steps()[i].num_prefill_reqs > 0;
  EXPECT_GE(chunks, 6);
}

// A third of the cache under the default load: measured seed 1: 67 preemptions (0 with the
// default 1,024 blocks), 592 vs 984 tokens/s.
TEST(LlmScenario, AShortKvCachePreemptsAndRecomputes) {
  const LlmScenario tight = run_for(preset("kv-pressure"));
  const LlmScenario roomy = run_for(default_params(info()));
  EXPECT_GT(tight.preemptions(), 20);
  EXPECT_EQ(roomy.preemptions(), 0);
  EXPECT_LT(tight.throughput_tok_s(), 0.8 * roomy.throughput_tok_s());
  EXPECT_NE(tight.summary().find(" preemptions"), std::string::npos) << tight.summary();
  int most = 0;
  for (const auto& st : tight.steps()) most = std::max(most, st.kv_used_blocks);
  EXPECT_EQ(most, 299);  // the whole cache (less the null block) was in use
}

TEST(LlmScenario, EveryPresetRunsAndTheSummaryHasItsNumbers) {
  for (const auto& pr : info().presets) {
    const LlmScenario s = run_for(preset_params(info(), pr), 2, 20'000'000);
    EXPECT_GT(s.finished(), 10) << pr.id;
    EXPECT_GT(s.output_tokens(), 2000) << pr.id;
    const std::string sum = s.summary();
    EXPECT_EQ(sum.rfind("At 20.00 s ", 0), 0u) << sum;
    EXPECT_NE(sum.find("time to first token p50 "), std::string::npos) << sum;
    EXPECT_NE(sum.find("inter-token latency p50 "), std::string::npos) << sum;
    EXPECT_NE(sum.find("blocks in use"), std::string::npos) << sum;
  }
}

// The inter-token histogram: within 1.6 % above the exact nearest-rank percentile.
TEST(LlmScenario, GapHistogramPercentilesAreCloseAbove) {
  llm::GapHistogram h;
  std::vector<std::int64_t> v;
  sim::Rng rng(5);
  for (int i = 0; i < 20000; ++i) {
    const auto x = static_cast<std::int64_t>(rng.uniform_range(1, 2'000'000));
    v.push_back(x);
    h.add(x);
  }
  std::sort(v.begin(), v.end());
  for (int p : {1, 50, 90, 99, 100}) {
    const std::int64_t exact = v[static_cast<std::size_t>((p * v.size() + 99) / 100 - 1)];
    EXPECT_GE(h.percentile(p), exact) << p;
    EXPECT_LE(static_cast<double>(h.percentile(p)), static_cast<double>(exact) * 1.016 + 1) << p;
  }
  EXPECT_EQ(llm::GapHistogram().percentile(99), 0);
}

}  // namespace
}  // namespace scalebook::widgets
