#include "widgets/sharding/scenario.h"

#include <algorithm>
#include <cstdio>

#include "sim/sharding/metrics.h"
#include "sim/sharding/node.h"
#include "sim/sharding/sharder.h"
#include "widgets/catalog.h"
#include "widgets/units.h"

namespace scalebook::widgets {

std::unique_ptr<Scenario> make_sharding_scenario() { return std::make_unique<sharding::ShardingScenario>(); }

namespace sharding {

namespace {

// The node count the parameters ask for: the node list's length, else buckets (when > 0),
// else node_count.
std::size_t node_count(const ParamMap& p) {
  if (!get_text(p, "nodes").empty()) {
    std::string error;
    return sh::parse_node_list(get_text(p, "nodes"), error).size();
  }
  const long long buckets = get_int(p, "buckets");
  return static_cast<std::size_t>(buckets > 0 ? buckets : get_int(p, "node_count"));
}

}  // namespace

std::string check_model_params(const ParamMap& p) {
  const std::size_t n = node_count(p);
  const std::string& op = get_text(p, "operation");
  const long long target = get_int(p, "target");
  for (const char* which : {"strategy", "compare"}) {
    const auto strategy = sh::parse_strategy(get_text(p, which));
    if (!strategy) continue;  // compare = none
    if (*strategy == sh::Strategy::Maglev && static_cast<unsigned long long>(get_int(p, "table_size")) < n)
      return "parameter 'table_size': Maglev needs a table at least as large as the node count (" + std::to_string(n) +
             ")";
    if ((op == "remove-node" || op == "set-weight") && target >= 0 && static_cast<std::size_t>(target) >= n)
      return "parameter 'target': node " + std::to_string(target) + " does not exist (there are " + std::to_string(n) +
             " nodes)";
    if (op == "remove-node" && n < 2) return "parameter 'operation': cannot remove the only node";
    if (op == "split-hot-range" && *strategy != sh::Strategy::Range)
      return "parameter 'operation': split-hot-range needs strategy=range";
  }
  return {};
}

std::string check_params(const ParamMap& p) {
  if (std::string e = check_model_params(p); !e.empty()) return e;
  if (get_int(p, "keys") > kMaxKeys)
    return "parameter 'keys': the widget places at most " + thousands(kMaxKeys) +
           " keys (scalebook sim sharding takes more)";
  if (get_text(p, "nodes").empty() && get_int(p, "buckets") > kMaxGeneratedNodes)
    return "parameter 'buckets': the widget draws at most " + std::to_string(kMaxGeneratedNodes) +
           " nodes (scalebook sim sharding takes more)";
  return {};
}

std::string thousands(unsigned long long v) { return units::thousands(v); }

void ShardingScenario::configure(const ParamMap& p, std::uint64_t seed) {
  static std::uint64_t configured = 0;
  generation_ = ++configured;
  time_us_ = 0;
  lanes_.clear();
  sample_.clear();
  workload_ = {};
  hot_count_ = 0;
  op_ = {};
  error_ = check_params(p);  // the one parameter path has checked already; a direct caller may not have
  const WidgetInfo* info = find_widget("sharding");
  step_ = info ? sharding::node_step(*info, p) : NodeStep{};
  if (!error_.empty()) return;

  sh::ShardingDesc desc;
  std::string parse_error;
  if (!get_text(p, "nodes").empty()) desc.nodes = sh::parse_node_list(get_text(p, "nodes"), parse_error);
  if (desc.nodes.empty()) desc.nodes = sh::generated_nodes(node_count(p));
  desc.vnodes = static_cast<std::uint32_t>(get_int(p, "vnodes"));
  vnodes_ = desc.vnodes;
  desc.table_size = static_cast<std::uint32_t>(get_int(p, "table_size"));
  desc.epsilon = get_double(p, "epsilon");
  const sh::Strategy main = *sh::parse_strategy(get_text(p, "strategy"));
  const auto other = sh::parse_strategy(get_text(p, "compare"));

  const std::size_t n = desc.nodes.size();
  const std::string& opname = get_text(p, "operation");
  op_.op = sh::Operation::AddNode;  // "none" still animates an add, the widget's story
  if (opname == "remove-node") op_.op = sh::Operation::RemoveNode;
  if (opname == "set-weight") op_.op = sh::Operation::SetWeight;
  if (opname == "split-hot-range") op_.op = sh::Operation::SplitHotRange;
  const long long target = get_int(p, "target");
  op_.target = static_cast<std::uint32_t>(target < 0 ? n - 1 : static_cast<std::size_t>(target));  // -1: the last node
  op_.new_weight = static_cast<std::uint32_t>(get_int(p, "weight"));
  equal_weights_ = std::all_of(desc.nodes.begin(), desc.nodes.end(), [](const sh::Node& x) { return x.weight == 1; }) &&
                   (op_.op != sh::Operation::AddNode || op_.new_weight == 1);

  skew_ = get_double(p, "skew");
  workload_ = sh::make_workload({.keys = static_cast<std::uint64_t>(get_int(p, "keys")),
                                 .skew = skew_,
                                 .hot_range = get_bool(p, "hot_range"),
                                 .seed = seed});
  sample_ = sh::sample_keys(workload_, kMaxDrawnKeys, skew_ > 0 ? kHotKeys : 0);
  hot_count_ = skew_ > 0 ? std::min({kHotKeys, workload_.keys.size(), sample_.size()}) : 0;

  auto lane = [&](sh::Strategy strategy) {
    sh::RebalanceDesc d{.sharding = desc, .op = op_, .sample = sample_};
    d.sharding.strategy = strategy;
    Lane l{.run = sh::rebalance(d, workload_), .slots = {}, .depart = {}};
    l.slots = sh::column_slots(l.run.from, l.run.to, l.run.columns.size());
    l.depart.assign(l.run.from.size(), 0.0f);
    for (std::size_t k = 0; k < l.run.from.size(); ++k)
      if (l.run.from[k] != l.run.to[k])
        l.depart[k] = static_cast<float>(kOperationAtS + kStaggerS * std::min(1.0f, l.slots.leave_rank[k] * 1.6f));
    return l;
  };
  lanes_.push_back(lane(main));
  if (other && *other != main) lanes_.push_back(lane(*other));
}

double ShardingScenario::hottest_share() const {
  return hot_count_ > 0 ? workload_.popularity[sample_[0]] : 0.0;
}

ColumnProgress ShardingScenario::progress(const Lane& lane, double t) const {
  ColumnProgress p;
  const auto& r = lane.run;
  p.now.assign(r.columns.size(), 0);
  for (std::size_t k = 0; k < r.from.size(); ++k) {
    if (r.from[k] == r.to[k] || t < lane.depart[k]) {
      ++p.now[r.from[k]];
    } else {
      ++p.departed;
      if (t >= lane.depart[k] + kFlightS) ++p.now[r.to[k]];
    }
  }
  return p;
}

std::string ShardingScenario::summary() const {
  if (!error_.empty()) return "Invalid parameters: " + error_ + ".";
  std::string s;
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const sh::Rebalance& run = lanes_[i].run;
    const std::string name(sh::strategy_name(run.strategy)), op(sh::operation_name(op_.op));
    char buf[400];
    const auto& load = applied() ? run.load_after : run.load_before;
    char hot[96] = "";
    if (skew_ > 0)
      std::snprintf(hot, sizeof hot, " Busiest node by requests %.2f times the mean.", load.requests_max_over_mean);
    if (!applied())
      std::snprintf(buf, sizeof buf, "%s%s, %zu nodes: busiest node holds %.2f times the mean.%s Next: %s %s.",
                    i ? " " : "", name.c_str(), run.nodes_before.size(), run.load_before.keys_max_over_mean, hot,
                    op.c_str(), run.changed_node.c_str());
    else
      std::snprintf(buf, sizeof buf,
                    "%s%s: %s %s moved %s of %s keys, %.1f%% (ideal %.1f%%); busiest node holds %.2f times the mean.%s",
                    i ? " " : "", name.c_str(), op.c_str(), run.changed_node.c_str(), thousands(run.moves.moved).c_str(),
                    thousands(run.moves.keys).c_str(), 100.0 * run.moves.moved_fraction, 100.0 * run.moves.ideal_fraction,
                    run.load_after.keys_max_over_mean, hot);
    s += buf;
  }
  return s;
}

std::string ShardingScenario::state_json() const {
  if (!error_.empty()) return "{\"time_us\":" + std::to_string(time_us_) + ",\"error\":true}";
  const char* phase = !applied() ? "before" : clock_s() < kLandedS ? "moving" : "after";
  std::string s = "{\"time_us\":" + std::to_string(time_us_) + ",\"applied\":" + (applied() ? "true" : "false") +
                  ",\"phase\":\"" + phase + "\",\"operation\":\"" + std::string(sh::operation_name(op_.op)) +
                  "\",\"runs\":[";
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const Lane& lane = lanes_[i];
    const sh::Rebalance& run = lane.run;
    char buf[640];
    std::snprintf(buf, sizeof buf,
                  "%s{\"strategy\":\"%s\",\"nodes_before\":%zu,\"nodes_after\":%zu,\"moved\":%llu,\"keys\":%llu,"
                  "\"moved_fraction\":%.6f,\"ideal_fraction\":%.6f,\"drawn\":%zu,\"drawn_moved\":%zu,"
                  "\"keys_max_over_mean\":%.4f,\"keys_cv\":%.4f,\"requests_max_over_mean\":%.4f}",
                  i ? "," : "", std::string(sh::strategy_name(run.strategy)).c_str(), run.nodes_before.size(),
                  run.nodes_after.size(), static_cast<unsigned long long>(run.moves.moved),
                  static_cast<unsigned long long>(run.moves.keys), run.moves.moved_fraction, run.moves.ideal_fraction,
                  run.from.size(), lane.slots.moved, run.load_after.keys_max_over_mean, run.load_after.keys_cv,
                  run.load_after.requests_max_over_mean);
    s += buf;
  }
  s += "],\"node_buttons\":";
  if (!step_.available) return s + "null}";
  return s + "{\"param\":\"" + step_.key + "\",\"can_add\":" + (step_.can_add ? "true" : "false") +
         ",\"can_remove\":" + (step_.can_remove ? "true" : "false") + "}}";
}

}  // namespace sharding
}  // namespace scalebook::widgets
