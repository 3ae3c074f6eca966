#include "widgets/kafka/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "widgets/units.h"

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_kafka_scenario() { return std::make_unique<kafka::KafkaScenario>(); }
}  // namespace scalebook::widgets

namespace scalebook::widgets::kafka {

namespace {

using units::secs;
using units::thousands;

kg::AssignorKind assignor_of(const std::string& s) {
  if (s == "roundrobin") return kg::AssignorKind::RoundRobin;
  if (s == "sticky") return kg::AssignorKind::Sticky;
  if (s == "cooperative-sticky") return kg::AssignorKind::CooperativeSticky;
  return kg::AssignorKind::Range;
}

std::string num(std::int64_t v) { return v < 0 ? "-" + thousands(static_cast<unsigned long long>(-v)) : thousands(static_cast<unsigned long long>(v)); }

}  // namespace

const char* doing_word(Doing d) {
  switch (d) {
    case Doing::Consuming: return "consuming";
    case Doing::Idle: return "idle";
    case Doing::Rebalancing: return "rebalancing";
    case Doing::Revoked: return "revoked";
    case Doing::DeadUndetected: return "dead";
    case Doing::StoppedUndetected: return "stopped";
    case Doing::Gone: return "gone";
  }
  return "?";
}

std::string check_params(const std::map<std::string, std::string>& p) {
  const auto hb = p.find("heartbeat_interval_ms"), st = p.find("session_timeout_ms");
  if (hb == p.end() || st == p.end()) return {};
  if (std::strtoll(hb->second.c_str(), nullptr, 10) >= std::strtoll(st->second.c_str(), nullptr, 10))
    return "parameter 'heartbeat_interval_ms': must be lower than session_timeout_ms (" + st->second + ")";
  return {};
}

void KafkaScenario::configure(const ParamMap& p, std::uint64_t seed) {
  *this = KafkaScenario();
  kg::GroupDesc d;
  d.partitions = static_cast<int>(get_int(p, "partitions"));
  d.consumers = static_cast<int>(get_int(p, "consumers"));
  d.assignor = assignor_of(get_text(p, "assignor"));
  d.produce_per_s = get_int(p, "produce_rate");
  d.hot_percent = static_cast<int>(get_int(p, "hot_percent"));
  d.consume_per_s = get_int(p, "consume_rate");
  d.session_timeout_us = get_int(p, "session_timeout_ms") * 1000;
  d.heartbeat_interval_us = get_int(p, "heartbeat_interval_ms") * 1000;
  d.auto_commit_interval_us = get_int(p, "auto_commit_ms") * 1000;
  d.rebalance_us = get_int(p, "rebalance_ms") * 1000;
  d.static_membership = get_bool(p, "static_membership");
  d.seed = seed;
  duration_us_ = static_cast<std::int64_t>(std::llround(get_double(p, "duration") * 1e6));
  group_.emplace(d);
  const auto n = static_cast<std::size_t>(duration_us_ / kSampleUs + 2);
  lag_ = chart::SampleRing(n);
  consuming_ = chart::SampleRing(n);
  sample();
}

void KafkaScenario::sample() {
  const auto t = group_->totals();
  int consuming = 0;
  for (const auto& ps : group_->partitions()) consuming += ps.consuming ? 1 : 0;
  lag_.push(static_cast<float>(t.lag));
  consuming_.push(static_cast<float>(consuming));
  next_sample_us_ += kSampleUs;
}

void KafkaScenario::advance(std::int64_t dt_us) {
  if (!ok()) return;
  const std::int64_t target = std::min(duration_us_, group_->now_us() + std::max<std::int64_t>(0, dt_us));
  while (next_sample_us_ <= target) {
    group_->advance(next_sample_us_ - group_->now_us());
    sample();
  }
  group_->advance(target - group_->now_us());
}

std::string KafkaScenario::act(const Action& a) {
  if (!ok()) return "action '" + a.name + "': the group is not configured";
  if (time_us() >= duration_us_) return "action '" + a.name + "': the run is over";
  const int slot = a.args.empty() ? 0 : static_cast<int>(std::strtol(a.args[0].c_str(), nullptr, 10));
  std::string why;
  if (a.name == "join") why = group_->join();
  else if (a.name == "leave") why = group_->leave(slot);
  else if (a.name == "crash") why = group_->crash(slot);
  else if (a.name == "restart") why = group_->restart(slot);
  else return "action '" + a.name + "': not handled";
  return why.empty() ? why : "action '" + a.name + "': " + why;
}

Doing KafkaScenario::doing(int idx) const {
  const auto& g = *group_;
  const auto& m = g.members()[static_cast<std::size_t>(idx)];
  if (m.life == kg::Life::Crashed) return m.in_group ? Doing::DeadUndetected : Doing::Gone;
  if (m.life == kg::Life::Stopped) return m.in_group ? Doing::StoppedUndetected : Doing::Gone;
  if (!m.in_group) return Doing::Gone;
  if (g.in_round()) return g.protocol() == kg::Protocol::Eager ? Doing::Revoked : Doing::Rebalancing;
  return m.owned.empty() ? Doing::Idle : Doing::Consuming;
}

std::string KafkaScenario::summary() const {
  if (!ok()) return "The group is not configured.";
  const auto& g = *group_;
  const auto t = g.totals();
  int live = 0, consuming = 0;
  for (const auto& m : g.members())
    if (m.in_group && m.life == kg::Life::Live) ++live;
  for (const auto& ps : g.partitions()) consuming += ps.consuming ? 1 : 0;
  std::string o = "At " + secs(g.now_us()) + ", generation " + std::to_string(g.generation()) + " (" +
                  kg::assignor_name(g.desc().assignor) + ", " +
                  (g.protocol() == kg::Protocol::Eager ? "eager" : "cooperative") + "): " + std::to_string(live) +
                  (live == 1 ? " consumer" : " consumers") + " running, " + std::to_string(consuming) + " of " +
                  std::to_string(g.desc().partitions) + " partitions being consumed";
  if (g.in_round()) o += ", a rebalance under way since " + secs(g.rounds().back().start_us);
  o += ". Lag " + num(t.lag) + " records (peak " + num(t.max_lag) + "); " + thousands(t.appended) + " appended, " +
       thousands(t.duplicates) + " delivered twice, " + std::to_string(t.rebalances) +
       (t.rebalances == 1 ? " rebalance." : " rebalances.");
  return o;
}

std::string KafkaScenario::state_json() const {
  if (!ok()) return "{\"error\":true}";
  const auto& g = *group_;
  const auto t = g.totals();
  const auto I = [](auto v) { return std::to_string(v); };
  std::string o = "{\"time_us\":" + I(g.now_us()) + ",\"assignor\":\"" + kg::assignor_name(g.desc().assignor) +
                  "\",\"protocol\":\"" + (g.protocol() == kg::Protocol::Eager ? "eager" : "cooperative") +
                  "\",\"generation\":" + I(g.generation()) + ",\"in_round\":" + (g.in_round() ? "true" : "false") +
                  ",\"totals\":{\"appended\":" + I(t.appended) + ",\"processed\":" + I(t.processed) +
                  ",\"unique\":" + I(t.unique) + ",\"duplicates\":" + I(t.duplicates) + ",\"lag\":" + I(t.lag) +
                  ",\"backlog\":" + I(t.backlog) + ",\"max_lag\":" + I(t.max_lag) +
                  ",\"stalled_partition_us\":" + I(t.stalled_partition_us) + ",\"rebalances\":" + I(t.rebalances) +
                  "},\"rounds\":[";
  const auto& rs = g.rounds();
  const std::size_t from = rs.size() > 16 ? rs.size() - 16 : 0;
  for (std::size_t i = from; i < rs.size(); ++i)
    o += std::string(i == from ? "" : ",") + "{\"start_us\":" + I(rs[i].start_us) + ",\"end_us\":" + I(rs[i].end_us) +
         ",\"generation\":" + I(rs[i].generation) + ",\"follow_up\":" + (rs[i].follow_up ? "true" : "false") +
         ",\"revoked\":" + I(rs[i].revoked) + "}";
  o += "],\"members\":[";
  bool first = true;
  for (std::size_t i = 0; i < g.members().size(); ++i) {
    const auto& m = g.members()[i];
    o += std::string(first ? "" : ",") + "{\"slot\":" + I(m.slot) + ",\"member_id\":\"" + m.member_id +
         "\",\"state\":\"" + doing_word(doing(static_cast<int>(i))) + "\",\"expires_us\":" + I(m.expires_us) +
         ",\"processed\":" + I(m.processed) + ",\"partitions\":[";
    for (std::size_t k = 0; k < m.owned.size(); ++k) o += (k ? "," : "") + I(m.owned[k]);
    o += "]}";
    first = false;
  }
  o += "],\"partitions\":[";
  for (std::size_t p = 0; p < g.partitions().size(); ++p) {
    const auto& ps = g.partitions()[p];
    const int owner = ps.owner < 0 ? 0 : g.members()[static_cast<std::size_t>(ps.owner)].slot;
    o += std::string(p ? "," : "") + "{\"log_end\":" + I(ps.log_end) + ",\"committed\":" + I(ps.committed) +
         ",\"lag\":" + I(ps.log_end - (ps.consuming ? ps.position : ps.committed)) + ",\"owner\":" + I(owner) +
         ",\"consuming\":" + (ps.consuming ? "true" : "false") + ",\"duplicates\":" + I(ps.duplicates) + "}";
  }
  return o + "]}";
}

}  // namespace scalebook::widgets::kafka
