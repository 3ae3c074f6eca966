#include "widgets/stampede/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "widgets/units.h"

namespace scalebook::widgets::stampede {

namespace {

using Strategy = sc::StampedeDesc::Strategy;

bool parse_strategy(const std::string& name, Strategy& out) {
  for (Strategy s : {Strategy::None, Strategy::Lease, Strategy::Coalesce, Strategy::StaleWhileRevalidate, Strategy::XFetch})
    if (sc::strategy_name(s) == name) {
      out = s;
      return true;
    }
  return false;
}

using units::ms_us;

std::string thousands(unsigned long long v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string ms_text(std::int64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, us < 10'000 ? "%.2f ms" : "%.1f ms", static_cast<double>(us) / 1000.0);
  return buf;
}

}  // namespace

const char* strategy_label(Strategy s) {
  switch (s) {
    case Strategy::None: return "no protection";
    case Strategy::Lease: return "leases";
    case Strategy::Coalesce: return "coalescing";
    case Strategy::StaleWhileRevalidate: return "stale-while-revalidate";
    case Strategy::XFetch: return "XFetch";
  }
  return "?";
}

std::string check_params(const ParamMap& p) {
  Strategy s;
  if (get_text(p, "compare") != "none" && get_text(p, "compare") == get_text(p, "strategy"))
    return "parameter 'compare': '" + get_text(p, "compare") + "' is already the main strategy";
  if (!parse_strategy(get_text(p, "strategy"), s)) return "parameter 'strategy': unknown strategy";
  if (get_double(p, "rate") * get_double(p, "duration") > 2'000'000)
    return "parameter 'rate': at most 2,000,000 readers in a run (rate x duration)";
  return {};
}

void StampedeScenario::configure(const ParamMap& p, std::uint64_t seed) {
  *this = StampedeScenario();
  if (std::string e = check_params(p); !e.empty()) {
    error_ = e;
    return;
  }
  sc::StampedeDesc d;
  d.arrival_rate_per_s = get_double(p, "rate");
  d.duration_us = static_cast<std::int64_t>(std::llround(get_double(p, "duration") * 1e6));
  d.ttl_us = static_cast<std::int64_t>(std::llround(get_double(p, "ttl") * 1e6));
  d.db_latency_us = ms_us(get_double(p, "db_ms"));
  d.db_jitter_mean_us = ms_us(get_double(p, "db_jitter_ms"));
  d.db_load_factor = get_double(p, "db_load");
  d.servers = static_cast<int>(get_int(p, "servers"));
  d.lease_retry_us = ms_us(get_double(p, "lease_retry_ms"));
  d.stale_window_us = static_cast<std::int64_t>(std::llround(get_double(p, "stale_window") * 1e6));
  d.xfetch_beta = get_double(p, "beta");
  d.write_every_us = static_cast<std::int64_t>(std::llround(get_double(p, "write_every") * 1e6));
  d.bucket_us = kBucketUs;
  d.seed = seed;
  duration_us_ = d.duration_us;
  ttl_us_ = d.ttl_us;
  std::vector<std::string> names = {get_text(p, "strategy")};
  if (get_text(p, "compare") != "none") names.push_back(get_text(p, "compare"));
  for (const std::string& n : names) {
    Lane& lane = lanes_.emplace_back();
    lane.desc = d;
    parse_strategy(n, lane.desc.strategy);
    lane.result = sc::run_stampede(lane.desc);
  }
}

void StampedeScenario::advance(std::int64_t dt_us) {
  if (!error_.empty()) return;
  time_us_ = std::min(duration_us_, time_us_ + std::max<std::int64_t>(0, dt_us));
  // Reveal every bucket that has ended by now.
  const auto ended = static_cast<std::size_t>(time_us_ / kBucketUs);
  for (; revealed_ < ended; ++revealed_)
    for (Lane& lane : lanes_) {
      const sc::StampedeBucket b = revealed_ < lane.result.buckets.size() ? lane.result.buckets[revealed_] : sc::StampedeBucket{};
      lane.queries.push(static_cast<float>(b.queries_started));
      lane.in_flight.push(static_cast<float>(b.max_in_flight));
      lane.stale.push(static_cast<float>(b.stale_reads));
      lane.queries_so_far += b.queries_started;
      lane.reads_so_far += b.reads;
      lane.stale_so_far += b.stale_reads;
      lane.peak_so_far = std::max(lane.peak_so_far, b.max_in_flight);
    }
}

std::string StampedeScenario::summary() const {
  if (!error_.empty()) return "The stampede cannot run: " + error_ + ".";
  char t[32];
  std::snprintf(t, sizeof t, "%.1f", static_cast<double>(revealed_ * kBucketUs) / 1e6);
  std::string o = finished() ? "Over the whole run" : std::string("In the first ") + t + " s";
  o += ", the hot key was read " + thousands(lanes_.front().reads_so_far) + " times. ";
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const Lane& l = lanes_[i];
    std::string part = std::string(i ? "With " : "With ") + strategy_label(l.desc.strategy) + " the database took " +
                       thousands(l.queries_so_far) + (l.queries_so_far == 1 ? " query" : " queries") + ", at most " +
                       std::to_string(l.peak_so_far) + " at once";
    if (l.stale_so_far) part += ", and " + thousands(l.stale_so_far) + " reads were served a stale value";
    if (finished()) part += "; 99% of reads took at most " + ms_text(l.result.latency_percentile_us(99));
    o += part + ". ";
  }
  o.pop_back();
  return o;
}

std::string StampedeScenario::state_json() const {
  std::string o = "{\"time_us\":" + std::to_string(time_us_) + ",\"buckets\":" + std::to_string(revealed_) + ",\"lanes\":[";
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const Lane& l = lanes_[i];
    const sc::StampedeResult& r = l.result;
    o += (i ? "," : "") + std::string("{\"strategy\":\"") + std::string(sc::strategy_name(l.desc.strategy)) +
         "\",\"reads\":" + std::to_string(l.reads_so_far) + ",\"db_queries\":" + std::to_string(l.queries_so_far) +
         ",\"peak_in_flight\":" + std::to_string(l.peak_so_far) + ",\"stale_reads\":" + std::to_string(l.stale_so_far);
    if (finished())
      o += ",\"run\":{\"reads\":" + std::to_string(r.reads) + ",\"db_queries\":" + std::to_string(r.db_queries) +
           ",\"expiries\":" + std::to_string(r.expiries) + ",\"stale_reads\":" + std::to_string(r.stale_reads) +
           ",\"outdated_reads\":" + std::to_string(r.outdated_reads) + ",\"stale_sets\":" + std::to_string(r.stale_sets) +
           ",\"refused_sets\":" + std::to_string(r.refused_sets) + ",\"early_recomputes\":" + std::to_string(r.early_recomputes) +
           ",\"peak_in_flight\":" + std::to_string(r.peak_in_flight) +
           ",\"p50_us\":" + std::to_string(r.latency_percentile_us(50)) +
           ",\"p99_us\":" + std::to_string(r.latency_percentile_us(99)) +
           ",\"p999_us\":" + std::to_string(r.latency_percentile_us(99.9)) + "}";
    o += "}";
  }
  return o + "]" + (error_.empty() ? "" : ",\"error\":true") + "}";
}

}  // namespace scalebook::widgets::stampede

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_stampede_scenario() { return std::make_unique<stampede::StampedeScenario>(); }
}  // namespace scalebook::widgets
