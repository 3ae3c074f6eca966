// stampede/scenario.h — the stampede widget's run: one hot key expiring under many
// readers, met by one or two strategies side by side (src/sim/cache/stampede.h) on the
// same seed, so the same readers arrive at the same moments in both lanes.
// UI-free (native and Wasm): the view (view.cpp) draws it; summary, state and digest
// come from here, and `scalebook sim stampede` runs it through the generic command.
//
// configure() runs each strategy's whole discrete-event model at once (a run of up to a
// minute of simulated time at up to 10,000 readers/s takes milliseconds); the timeline
// then reveals it: at time t the counts are those of the 100 ms buckets that have ended
// by t, so advance(a); advance(b) equals advance(a + b). Time runs in real time at
// speed 1 and stops at the end of the arrivals. The read-latency percentiles are the
// whole run's (shown once the run is over).
// Not modelled here: anything of the strategies themselves — that is src/sim/cache.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/cache/stampede.h"
#include "widgets/params.h"
#include "widgets/samples.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::stampede {

namespace sc = sim::cache;

inline constexpr std::int64_t kBucketUs = 100'000;  // one chart sample per 100 ms

struct Lane {
  sc::StampedeDesc desc;
  sc::StampedeResult result;
  chart::SampleRing queries{1024};    // queries started per bucket, revealed so far
  chart::SampleRing in_flight{1024};  // peak queries in flight per bucket
  chart::SampleRing stale{1024};      // stale reads per bucket
  // Totals over the revealed buckets.
  std::uint64_t queries_so_far = 0, reads_so_far = 0, stale_so_far = 0;
  std::uint32_t peak_so_far = 0;
};

// "" or "parameter 'k': why".
std::string check_params(const ParamMap& params);
// "none" → "no protection", "lease" → "leases", …
const char* strategy_label(sc::StampedeDesc::Strategy s);

class StampedeScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return time_us_; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return error_.empty() && time_us_ < duration_us_; }

  const std::string& error() const { return error_; }
  const std::vector<Lane>& lanes() const { return lanes_; }
  std::int64_t duration_us() const { return duration_us_; }
  std::int64_t ttl_us() const { return ttl_us_; }
  bool finished() const { return time_us_ >= duration_us_; }

 private:
  std::string error_;
  std::vector<Lane> lanes_;
  std::size_t revealed_ = 0;  // buckets revealed
  std::int64_t time_us_ = 0, duration_us_ = 0, ttl_us_ = 0;
};

}  // namespace scalebook::widgets::stampede

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_stampede_scenario();
}
