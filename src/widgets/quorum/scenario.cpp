#include "widgets/quorum/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "widgets/node_actions.h"
#include "widgets/units.h"

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_quorum_scenario() { return std::make_unique<quorum::QuorumScenario>(); }
}  // namespace scalebook::widgets

namespace scalebook::widgets::quorum {

namespace {

using units::ms_us;
using units::secs;
using units::thousands;

using nodes::name;

std::string percent(std::uint64_t part, std::uint64_t whole) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return b;
}

std::string ms_text(std::int64_t us) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f ms", static_cast<double>(us) / 1000.0);
  return b;
}

std::string counts_json(const qs::OpCounts& c) {
  return "{\"issued\":" + std::to_string(c.issued) + ",\"ok\":" + std::to_string(c.ok) +
         ",\"timeout\":" + std::to_string(c.timeout) + ",\"unavailable\":" + std::to_string(c.unavailable) +
         ",\"coordinator_lost\":" + std::to_string(c.coordinator_lost) + ",\"failed\":" + std::to_string(c.failed()) +
         "}";
}

}  // namespace

std::string check_params(const ParamMap& p) {
  const long long nodes = get_int(p, "nodes"), n = get_int(p, "n"), r = get_int(p, "r"), w = get_int(p, "w");
  if (n > nodes)
    return "parameter 'n': " + std::to_string(n) + " replicas per key need at least " + std::to_string(n) +
           " nodes (the cluster has " + std::to_string(nodes) + ")";
  if (w > n)
    return "parameter 'w': a write cannot wait for " + std::to_string(w) + " acknowledgements from " +
           std::to_string(n) + " replicas";
  if (r > n)
    return "parameter 'r': a read cannot wait for " + std::to_string(r) + " replies from " + std::to_string(n) +
           " replicas";
  return {};
}

void QuorumScenario::configure(const ParamMap& p, std::uint64_t seed) {
  *this = QuorumScenario();
  if (std::string e = check_params(p); !e.empty()) {
    error_ = e;
    return;
  }
  qs::ClusterDesc d;
  d.nodes = static_cast<std::uint32_t>(get_int(p, "nodes"));
  d.tokens_per_node = static_cast<std::uint32_t>(get_int(p, "tokens"));
  d.n = static_cast<std::uint32_t>(get_int(p, "n"));
  d.r = static_cast<std::uint32_t>(get_int(p, "r"));
  d.w = static_cast<std::uint32_t>(get_int(p, "w"));
  d.seed = seed;
  d.read_fanout = get_text(p, "read_path") == "cassandra" ? qs::ReadFanout::kBlockFor : qs::ReadFanout::kAllReplicas;
  const std::string repair = get_text(p, "read_repair");
  d.read_repair = repair == "blocking" ? qs::ReadRepair::kBlocking
                  : repair == "async"  ? qs::ReadRepair::kAsync
                                       : qs::ReadRepair::kNone;
  d.hinted_handoff = get_bool(p, "hinted_handoff");
  d.sloppy_quorum = get_bool(p, "sloppy_quorum");
  d.failure_detector = get_bool(p, "failure_detector");
  const std::int64_t floor = ms_us(get_double(p, "latency_ms")), tail = ms_us(get_double(p, "tail_ms"));
  d.link.latency = tail > 0 ? sim::net::Latency::exponential(floor, tail) : sim::net::Latency::constant(floor);
  d.writes_per_s = get_double(p, "writes");
  d.reads_per_s = get_double(p, "reads");
  d.keys = static_cast<std::uint32_t>(get_int(p, "keys"));
  duration_us_ = static_cast<std::int64_t>(std::llround(get_double(p, "duration") * 1e6));
  cluster_.emplace(d);
  const auto samples = static_cast<std::size_t>(duration_us_ / kSampleUs + 2);
  history_.reserve(samples);
  stale_rate_ = chart::SampleRing(samples);
  failed_rate_ = chart::SampleRing(samples);
  sample();
  refresh();
}

QuorumScenario::Totals QuorumScenario::totals() const {
  const qs::ClusterStats& st = cluster_->stats();
  return {.stale = st.stale_reads, .failed = st.writes.failed() + st.reads.failed()};
}

void QuorumScenario::sample() {
  history_.push_back(totals());
  const Totals& now = history_.back();
  const Totals before = history_.size() > kRateWindow ? history_[history_.size() - 1 - kRateWindow] : Totals{};
  stale_rate_.push(static_cast<float>(now.stale - before.stale));
  failed_rate_.push(static_cast<float>(now.failed - before.failed));
  next_sample_us_ += kSampleUs;
}

void QuorumScenario::advance(std::int64_t dt_us) {
  if (!cluster_ || finished()) return;
  const std::int64_t target = std::min(duration_us_, cluster_->now_us() + std::max<std::int64_t>(0, dt_us));
  while (next_sample_us_ <= target) {
    cluster_->run_until(next_sample_us_);
    sample();
  }
  cluster_->run_until(target);
  refresh();
}

void QuorumScenario::refresh() {
  const qs::Cluster& c = *cluster_;
  Derived d;
  for (const qs::OpRecord& r : c.ops()) {
    if (r.kind == qs::OpKind::kWrite && r.key == kWatchedKey && r.outcome == qs::Outcome::kOk &&
        r.version.newer_than(d.watched_latest))
      d.watched_latest = r.version;
    if (r.stale && (d.first_stale_us < 0 || r.end_us < d.first_stale_us)) d.first_stale_us = r.end_us;
  }
  d.write_p50 = c.latency_quantile_us(qs::OpKind::kWrite, 0.5);
  d.write_p99 = c.latency_quantile_us(qs::OpKind::kWrite, 0.99);
  d.read_p50 = c.latency_quantile_us(qs::OpKind::kRead, 0.5);
  d.read_p99 = c.latency_quantile_us(qs::OpKind::kRead, 0.99);
  derived_ = d;
}

void QuorumScenario::note(std::string text) {
  events_.push_back(secs(time_us()) + ": " + std::move(text));
  if (events_.size() > 8) events_.erase(events_.begin());
}

std::string QuorumScenario::node_arg(const Action& a, qs::NodeId& n) const {
  return nodes::parse(a, 0, cluster_->desc().nodes, n);
}

std::string QuorumScenario::act(const Action& a) {
  std::string refused = apply(a);
  if (cluster_) refresh();  // a crash fails the node's in-flight ops at once
  return refused;
}

std::string QuorumScenario::apply(const Action& a) {
  if (!cluster_) return "action '" + a.name + "': the cluster cannot run: " + error_;
  if (finished()) return "action '" + a.name + "': the run is over";
  qs::Cluster& c = *cluster_;
  const std::uint32_t m = c.desc().nodes;
  qs::NodeId n = qs::kNoNode;
  if (a.name == "crash" || a.name == "restart" || a.name == "isolate") {
    if (std::string e = node_arg(a, n); !e.empty()) return e;
    if (a.name == "crash") {
      if (!c.up(n)) return "action 'crash': " + name(n) + " is already down";
      c.crash(n);
      note("crashed " + name(n));
    } else if (a.name == "restart") {
      if (c.up(n)) return "action 'restart': " + name(n) + " is running (crash it first)";
      c.restart(n);
      note("restarted " + name(n) + " with its data");
    } else {
      c.isolate({n});
      note("cut off " + name(n));
    }
    return {};
  }
  if (a.name == "split") {
    nodes::Split sides;
    if (std::string e = nodes::split(a, m, sides); !e.empty()) return e;
    c.partition(sides.left, sides.right);
    note(sides.note);
    return {};
  }
  if (a.name == "heal") {
    const bool any = c.network().links().cut_links() > 0;
    c.heal();
    note(any ? "healed every link" : "healed (nothing was cut)");
    return {};
  }
  return "action '" + a.name + "': not handled";
}

std::string QuorumScenario::summary() const {
  if (!cluster_) return "The store cannot run: " + error_ + ".";
  const qs::Cluster& c = *cluster_;
  const qs::ClusterStats& st = c.stats();
  const qs::ClusterDesc& d = c.desc();
  std::string o = "At " + secs(time_us()) + ", N = " + std::to_string(d.n) + ", R = " + std::to_string(d.r) +
                  ", W = " + std::to_string(d.w) + ": " + thousands(st.writes.issued) + " writes (" +
                  thousands(st.writes.ok) + " acknowledged, " + thousands(st.writes.failed()) + " failed) and " +
                  thousands(st.reads.issued) + " reads (" + thousands(st.reads.ok) + " answered, " +
                  thousands(st.stale_reads) + " of them stale (" + percent(st.stale_reads, st.reads.ok) + "), " +
                  thousands(st.reads.failed()) + " failed).";
  if (read_p99_us() >= 0)
    o += " Reads take " + ms_text(read_p50_us()) + " at the median, " + ms_text(read_p99_us()) +
         " at the 99th percentile.";
  if (d.hinted_handoff && c.hint_count() > 0) o += " " + thousands(c.hint_count()) + " hints wait for their replica.";
  o += nodes::faults_sentence(
      d.nodes, c.network().links().cut_links(), [&](qs::NodeId n) { return c.up(n); },
      [&](qs::NodeId n, qs::NodeId k) { return c.network().connected(n, k); });
  return o;
}

std::string QuorumScenario::state_json() const {
  if (!cluster_) return "{\"error\":true}";
  const qs::Cluster& c = *cluster_;
  const qs::ClusterStats& st = c.stats();
  const qs::ClusterDesc& d = c.desc();
  const qs::Version latest = watched_latest();
  std::string o = "{\"time_us\":" + std::to_string(time_us()) + ",\"writes\":" + counts_json(st.writes) +
                  ",\"reads\":" + counts_json(st.reads) + ",\"stale_reads\":" + std::to_string(st.stale_reads) +
                  ",\"first_stale_us\":" + std::to_string(first_stale_us()) +
                  ",\"mismatched_reads\":" + std::to_string(st.mismatched_reads) +
                  ",\"repair_writes\":" + std::to_string(st.repair_writes) +
                  ",\"hinted_writes\":" + std::to_string(st.hinted_writes) +
                  ",\"hints_stored\":" + std::to_string(st.hints_stored) +
                  ",\"hints_delivered\":" + std::to_string(st.hints_delivered) +
                  ",\"hints_waiting\":" + std::to_string(c.hint_count()) + ",\"latency_us\":{";
  o += "\"write_p50\":" + std::to_string(write_p50_us()) + ",\"write_p99\":" + std::to_string(write_p99_us()) +
       ",\"read_p50\":" + std::to_string(read_p50_us()) + ",\"read_p99\":" + std::to_string(read_p99_us()) + "}";
  o += ",\"watched_key\":{\"key\":" + std::to_string(kWatchedKey) + ",\"home\":[";
  const auto home = c.home_replicas(kWatchedKey);
  for (std::size_t i = 0; i < home.size(); ++i) o += (i ? "," : "") + std::to_string(home[i] + 1);
  o += "],\"latest_seq\":" + std::to_string(latest.exists() ? latest.seq : 0) + ",\"agree\":" +
       (c.replicas_agree(kWatchedKey) ? "true" : "false") + "},\"nodes\":[";
  for (qs::NodeId n = 0; n < d.nodes; ++n) {
    const qs::Version v = c.stored(n, kWatchedKey);
    o += (n ? ",{" : "{") + std::string("\"id\":") + std::to_string(n + 1) + ",\"up\":" + (c.up(n) ? "true" : "false") +
         ",\"watched_seq\":" + std::to_string(v.exists() ? v.seq : 0) + "}";
  }
  const auto& ns = c.network().stats();
  o += "],\"messages\":{\"sent\":" + std::to_string(ns.sent) + ",\"delivered\":" + std::to_string(ns.delivered) +
       ",\"dropped\":" + std::to_string(ns.dropped()) + ",\"in_flight\":" + std::to_string(ns.in_flight()) + "}" +
       ",\"cut_links\":" + std::to_string(c.network().links().cut_links()) +
       ",\"digest\":\"" + c.digest().hex() + "\"}";
  return o;
}

}  // namespace scalebook::widgets::quorum
