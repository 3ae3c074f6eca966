#include "widgets/raft/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "widgets/node_actions.h"
#include "widgets/units.h"

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_raft_scenario() { return std::make_unique<raft::RaftScenario>(); }
}  // namespace scalebook::widgets

namespace scalebook::widgets::raft {

namespace {

using units::ms_us;
using units::secs;

using nodes::join;
using nodes::name;

const char* state_word(rs::StateType s) {
  switch (s) {
    case rs::StateType::Follower: return "follower";
    case rs::StateType::PreCandidate: return "pre-candidate";
    case rs::StateType::Candidate: return "candidate";
    case rs::StateType::Leader: return "leader";
  }
  return "?";
}

// etcd's embed config: ElectionTicks = ElectionMs / TickMs (integer division).
int election_ticks(const ParamMap& p) {
  return static_cast<int>(std::floor(get_double(p, "election_ms") / get_double(p, "heartbeat_ms") + 1e-9));
}

}  // namespace

std::string check_params(const ParamMap& p) {
  // etcd refuses to start otherwise: "--election-timeout[…ms] should be at least as 5 times
  // as --heartbeat-interval[…ms]" (server/embed/config.go).
  if (get_double(p, "election_ms") < 5 * get_double(p, "heartbeat_ms") - 1e-9)
    return "parameter 'election_ms': etcd requires an election timeout of at least 5 heartbeat intervals (" +
           std::to_string(static_cast<long long>(std::llround(5 * get_double(p, "heartbeat_ms")))) + " ms here)";
  return {};
}

void RaftScenario::configure(const ParamMap& p, std::uint64_t seed) {
  *this = RaftScenario();
  if (std::string e = check_params(p); !e.empty()) {
    error_ = e;
    return;
  }
  rs::ClusterDesc d;
  d.nodes = static_cast<std::uint32_t>(get_int(p, "nodes"));
  d.seed = seed;
  d.tick_us = ms_us(get_double(p, "heartbeat_ms"));
  d.election_tick = election_ticks(p);
  d.heartbeat_tick = 1;
  d.pre_vote = get_bool(p, "pre_vote");
  d.check_quorum = get_bool(p, "check_quorum");
  d.proposals_per_s = get_double(p, "proposals");
  const std::int64_t lat = ms_us(get_double(p, "latency_ms")), jitter = ms_us(get_double(p, "jitter_ms"));
  d.link.latency = jitter > 0 ? sim::net::Latency::uniform(lat, lat + jitter) : sim::net::Latency::constant(lat);
  d.link.loss = get_double(p, "loss");
  d.fifo_links = true;
  duration_us_ = static_cast<std::int64_t>(std::llround(get_double(p, "duration") * 1e6));
  cluster_.emplace(d);
  marks_.assign(d.nodes, {});
  const auto samples = static_cast<std::size_t>(duration_us_ / kSampleUs + 2);
  for (auto& m : marks_) m.reserve(samples);
  proposed_ = chart::SampleRing(samples);
  committed_ = chart::SampleRing(samples);
  sample();
}

void RaftScenario::sample() {
  const rs::Cluster& c = *cluster_;
  for (rs::NodeId n = 0; n < c.size(); ++n) {
    Mark m = Mark::Down;
    if (c.up(n)) switch (c.node(n).state()) {
        case rs::StateType::Follower: m = Mark::Follower; break;
        case rs::StateType::PreCandidate: m = Mark::PreCandidate; break;
        case rs::StateType::Candidate: m = Mark::Candidate; break;
        case rs::StateType::Leader: m = Mark::Leader; break;
      }
    marks_[n].push_back(m);
  }
  const rs::ClusterStats st = c.stats();
  proposed_.push(static_cast<float>(st.proposals));
  committed_.push(static_cast<float>(st.committed_proposals));
  next_sample_us_ += kSampleUs;
}

void RaftScenario::advance(std::int64_t dt_us) {
  if (!cluster_ || finished()) return;
  const std::int64_t target = std::min(duration_us_, cluster_->now_us() + std::max<std::int64_t>(0, dt_us));
  while (next_sample_us_ <= target) {
    cluster_->run_until(next_sample_us_);
    if (!cluster_->safety().ok()) return;
    sample();
  }
  cluster_->run_until(target);
}

void RaftScenario::note(std::string text) {
  events_.push_back(secs(time_us()) + ": " + std::move(text));
  if (events_.size() > 8) events_.erase(events_.begin());
}

std::string RaftScenario::node_arg(const Action& a, std::size_t i, rs::NodeId& n) const {
  return nodes::parse(a, i, cluster_->size(), n);
}

std::string RaftScenario::act(const Action& a) {
  if (!cluster_) return "action '" + a.name + "': the cluster cannot run: " + error_;
  if (finished()) return "action '" + a.name + "': the run is over";
  rs::Cluster& c = *cluster_;
  const std::string at = " at " + secs(time_us());
  rs::NodeId n = rs::kNone;
  if (a.name == "crash-leader" || a.name == "isolate-leader") {
    n = c.leader();
    if (n == rs::kNone) return "action '" + a.name + "': there is no leader" + at;
    const std::string who = name(n) + " (the leader of term " + std::to_string(c.node(n).term()) + ")";
    if (a.name == "crash-leader") {
      c.crash(n);
      note("crashed " + who);
    } else {
      c.isolate({n});
      note("cut off " + who);
    }
    return {};
  }
  if (a.name == "crash" || a.name == "restart" || a.name == "isolate") {
    if (std::string e = node_arg(a, 0, n); !e.empty()) return e;
    if (a.name == "crash") {
      if (!c.up(n)) return "action 'crash': " + name(n) + " is already down";
      const bool led = c.leader() == n;
      c.crash(n);
      note("crashed " + name(n) + (led ? " (the leader)" : ""));
    } else if (a.name == "restart") {
      if (c.up(n)) return "action 'restart': " + name(n) + " is running (crash it first)";
      c.restart(n);
      note("restarted " + name(n) + " from its log");
    } else {
      c.isolate({n});
      note("cut off " + name(n));
    }
    return {};
  }
  if (a.name == "split") {
    nodes::Split sides;
    if (std::string e = nodes::split(a, c.size(), sides); !e.empty()) return e;
    c.partition(sides.left, sides.right);
    note(sides.note);
    return {};
  }
  if (a.name == "heal") {
    if (c.network().links().cut_links() == 0) return "action 'heal': no link is cut" + at;
    c.heal();
    note("healed every link");
    return {};
  }
  return "action '" + a.name + "': not handled";
}

std::string RaftScenario::summary() const {
  if (!cluster_) return "The Raft cluster cannot run: " + error_ + ".";
  const rs::Cluster& c = *cluster_;
  const rs::ClusterStats st = c.stats();
  std::string o = "At " + secs(time_us()) + " ";
  const rs::NodeId lead = c.leader();
  if (lead != rs::kNone) {
    o += name(lead) + " leads in term " + std::to_string(c.node(lead).term());
    if (st.last_elected_us >= 0 && st.last_elected == lead) o += " (elected at " + secs(st.last_elected_us) + ")";
    o += ".";
  } else {
    std::vector<std::string> running;
    for (rs::NodeId n = 0; n < c.size(); ++n)
      if (c.up(n) && (c.node(n).state() == rs::StateType::Candidate || c.node(n).state() == rs::StateType::PreCandidate))
        running.push_back(name(n));
    o += "there is no leader";
    o += running.empty() ? "." : ": " + join(running) + (running.size() == 1 ? " is" : " are") + " campaigning.";
  }
  o += " " + std::to_string(st.proposals) + " proposals, " + std::to_string(st.committed_proposals) + " committed";
  if (st.proposals_dropped) o += ", " + std::to_string(st.proposals_dropped) + " dropped without a leader";
  o += "; " + std::to_string(st.leaders_elected) + (st.leaders_elected == 1 ? " election won" : " elections won") + ".";
  o += nodes::faults_sentence(
      c.size(), c.network().links().cut_links(), [&](rs::NodeId n) { return c.up(n); },
      [&](rs::NodeId n, rs::NodeId m) { return c.network().connected(n, m); });
  if (!c.safety().ok()) o += " Safety violated: " + c.safety().first_violation() + ".";
  return o;
}

std::string RaftScenario::state_json() const {
  if (!cluster_) return "{\"error\":true}";
  const rs::Cluster& c = *cluster_;
  const rs::ClusterStats st = c.stats();
  const rs::NodeId lead = c.leader();
  std::string o = "{\"time_us\":" + std::to_string(time_us()) + ",\"leader\":" +
                  std::to_string(lead == rs::kNone ? 0 : lead + 1) + ",\"nodes\":[";
  for (rs::NodeId n = 0; n < c.size(); ++n) {
    const rs::NodeView v = c.view(n);
    o += (n ? ",{" : "{") + std::string("\"id\":") + std::to_string(n + 1) + ",\"up\":" + (v.up ? "true" : "false") +
         ",\"state\":\"" + state_word(v.state) + "\",\"term\":" + std::to_string(v.term) +
         ",\"vote\":" + std::to_string(v.vote == rs::kNone ? 0 : v.vote + 1) +
         ",\"lead\":" + std::to_string(v.lead == rs::kNone ? 0 : v.lead + 1) +
         ",\"last_index\":" + std::to_string(v.last_index) + ",\"commit\":" + std::to_string(v.commit) + "}";
  }
  const auto& ns = c.network().stats();
  o += "],\"pre_campaigns\":" + std::to_string(st.pre_campaigns) + ",\"campaigns\":" + std::to_string(st.campaigns) +
       ",\"leaders_elected\":" + std::to_string(st.leaders_elected) +
       ",\"leader_changes\":" + std::to_string(st.leader_changes) +
       ",\"last_elected_us\":" + std::to_string(st.last_elected_us) +
       ",\"proposals\":" + std::to_string(st.proposals) + ",\"proposals_dropped\":" + std::to_string(st.proposals_dropped) +
       ",\"committed_index\":" + std::to_string(st.committed_index) +
       ",\"committed_proposals\":" + std::to_string(st.committed_proposals) +
       ",\"max_term\":" + std::to_string([&] {
         rs::Term t = 0;
         for (const auto& node : c.nodes()) t = std::max(t, node.term());
         return t;
       }()) +
       ",\"messages\":{\"sent\":" + std::to_string(ns.sent) + ",\"delivered\":" + std::to_string(ns.delivered) +
       ",\"dropped\":" + std::to_string(ns.dropped()) + ",\"in_flight\":" + std::to_string(ns.in_flight()) + "}" +
       ",\"cut_links\":" + std::to_string(c.network().links().cut_links()) +
       ",\"safe\":" + (c.safety().ok() ? "true" : "false") + "}";
  return o;
}

}  // namespace scalebook::widgets::raft
