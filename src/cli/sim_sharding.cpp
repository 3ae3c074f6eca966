// `scalebook sim sharding` — key → node placement with every sharding strategy.
//
//   scalebook sim sharding --set strategy=ketama --set nodes=10.0.0.1:11211,10.0.0.2:11211:2 --keys FILE
//     prints "key<TAB>node" for each line of FILE, in order. The node is printed as
//     host:port — what libmemcached reports for the server (memcached_server_name and
//     memcached_server_port), without the weight. With strategy=jump the node printed is
//     the bucket number, and a key that is a decimal unsigned 64-bit integer is the
//     64-bit key itself.
//   --set replicas=R        the node column lists the R-node preference list, comma-separated.
//   --set operation=OP      (add-node, remove-node, set-weight, split-hot-range) prints
//                           "key<TAB>node before<TAB>node after".
//   --json                  prints the metrics (load per node, spread, lookup cost, and the
//                           operation's key movement against the ideal) as one JSON object,
//                           for FILE (each line one request) or, without --keys, for the
//                           generated workload (keys, skew, hot_range, seed).
#include <charconv>
#include <fstream>
#include <string>
#include <vector>

#include "cli/sim_args.h"
#include "sim/sharding/maglev.h"
#include "sim/sharding/metrics.h"
#include "sim/sharding/rebalance.h"
#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"
#include "util/json.h"
#include "widgets/param_edit.h"
#include "widgets/sharding/scenario.h"

namespace scalebook::cli {

namespace sh = scalebook::sim::sharding;

namespace {

std::vector<std::string> read_key_file(const std::string& path) {
  std::ifstream in = open_input(path, "keys file");
  std::vector<std::string> keys;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw UsageError(path + ":" + std::to_string(n) + ": empty key (one key per line)");
    if (line.find('\t') != std::string::npos)
      throw UsageError(path + ":" + std::to_string(n) + ": a key cannot contain a tab (output is tab-separated)");
    keys.push_back(std::move(line));
  }
  check_read(in, path, "keys file");
  return keys;
}

std::string num(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, end);
}

std::string json_str(const std::string& s) { return util::json_string(s); }

// A node as printed: host:port, or the bucket number under jump (sh::node_label).
std::string load_json(sh::Strategy strategy, const std::vector<sh::Node>& nodes, const sh::LoadStats& load) {
  std::string out = "{\"keys_max_over_mean\":" + num(load.keys_max_over_mean) + ",\"keys_cv\":" + num(load.keys_cv) +
                    ",\"requests_max_over_mean\":" + num(load.requests_max_over_mean) +
                    ",\"requests_cv\":" + num(load.requests_cv) +
                    ",\"mean_lookup_steps\":" + num(load.mean_lookup_steps) + ",\"nodes\":[";
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    if (i) out += ',';
    const std::string label = strategy == sh::Strategy::Jump ? std::to_string(i) : nodes[i].name();
    out += "{\"node\":" + json_str(label) + ",\"weight\":" + std::to_string(nodes[i].weight) +
           ",\"keys\":" + std::to_string(load.keys[i]) + ",\"request_share\":" + num(load.request_share[i]) + "}";
  }
  return out + "]}";
}

struct Setup {
  sh::ShardingDesc desc;
  sh::OperationDesc op;
  std::uint32_t replicas = 1;
};

Setup setup_from(const std::map<std::string, std::string>& p, const std::string& strategy_param) {
  Setup s;
  s.desc.strategy = *sh::parse_strategy(param_str(p, strategy_param));
  const std::string& list = param_str(p, "nodes");
  if (!list.empty()) {
    std::string error;
    s.desc.nodes = sh::parse_node_list(list, error);
    if (!error.empty()) throw UsageError("parameter 'nodes': " + error);
  } else {
    const long long buckets = param_int(p, "buckets");
    s.desc.nodes = sh::generated_nodes(static_cast<std::size_t>(buckets > 0 ? buckets : param_int(p, "node_count")));
  }
  s.desc.vnodes = static_cast<std::uint32_t>(param_int(p, "vnodes"));
  s.desc.table_size = static_cast<std::uint32_t>(param_int(p, "table_size"));
  s.desc.epsilon = param_double(p, "epsilon");
  s.replicas = static_cast<std::uint32_t>(param_int(p, "replicas"));
  const std::size_t n = s.desc.nodes.size();

  const std::string& op = param_str(p, "operation");
  for (auto o : {sh::Operation::None, sh::Operation::AddNode, sh::Operation::RemoveNode, sh::Operation::SetWeight,
                 sh::Operation::SplitHotRange})
    if (sh::operation_name(o) == op) s.op.op = o;
  const long long target = param_int(p, "target");
  s.op.target = static_cast<std::uint32_t>(target < 0 ? n - 1 : static_cast<std::size_t>(target));
  s.op.new_weight = static_cast<std::uint32_t>(param_int(p, "weight"));
  // Combinations the model cannot run were refused by resolve_params (the model's
  // cross-parameter check, src/widgets/sharding/scenario.cpp).
  return s;
}

// Metrics of one strategy on `workload`, before and (if any) after the operation: the
// rebalance the widget shows too (sim/sharding/rebalance.h), without a sample or arcs.
std::string experiment_json(const Setup& setup, const sh::Workload& workload) {
  const sh::Rebalance r = sh::rebalance({.sharding = setup.desc, .op = setup.op, .max_circle_points = 0}, workload);
  std::string out = "{\"strategy\":" + json_str(std::string(sh::strategy_name(r.strategy))) +
                    ",\"node_count\":" + std::to_string(r.nodes_before.size()) +
                    ",\"keys\":" + std::to_string(workload.keys.size()) +
                    ",\"load\":" + load_json(r.strategy, r.nodes_before, r.load_before);
  if (setup.op.op != sh::Operation::None) {
    const sh::MoveStats& m = r.moves;
    out += ",\"operation\":{\"name\":" + json_str(std::string(sh::operation_name(setup.op.op)));
    if (!r.changed_node.empty()) out += ",\"node\":" + json_str(r.changed_node);
    if (setup.op.op == sh::Operation::SplitHotRange) out += std::string(",\"split\":") + (r.split ? "true" : "false");
    out += ",\"moved_keys\":" + std::to_string(m.moved) + ",\"moved_fraction\":" + num(m.moved_fraction) +
           ",\"ideal_fraction\":" + num(m.ideal_fraction);
    if (setup.op.op == sh::Operation::AddNode || setup.op.op == sh::Operation::RemoveNode)
      out += std::string(",\"moves_only_involve_changed_node\":") + (m.moves_only_involve_changed_node ? "true" : "false");
    out += "},\"after\":" + load_json(r.strategy, r.nodes_after, r.load_after);
  }
  return out + "}";
}

std::string labels(const sh::Sharder& s, std::string_view key, std::uint32_t replicas) {
  if (replicas <= 1) return sh::node_label(s, s.node_for(key));
  std::string out;
  for (std::uint32_t node : s.preference_list(key, replicas)) {
    if (!out.empty()) out += ',';
    out += sh::node_label(s, node);
  }
  return out;
}

}  // namespace

int sim_sharding(const SimArgs& input, std::string& out) {
  // The seed of the generated keys is the run's seed (the widget's toolbar seed), not a
  // schema parameter: --set seed=S, like the other models.
  SimArgs args = input;
  const std::uint64_t seed = take_seed(args);
  // The command line draws nothing: the model's check, not the widget's (which also refuses
  // more keys and buckets than it can show; widgets/sharding/scenario.h).
  const auto p = resolve_params("sharding", args, widgets::sharding::check_model_params);
  const Setup setup = setup_from(p, "strategy");
  auto keys_it = args.files.find("keys");

  if (!args.json) {
    if (keys_it == args.files.end())
      throw UsageError("--keys FILE is required to print key/node lines (or pass --json for metrics on a generated workload)");
    const std::vector<std::string> requests = read_key_file(keys_it->second);
    sh::Sharder s(setup.desc, requests);
    if (setup.op.op == sh::Operation::None) {
      for (const auto& key : requests) out += key + "\t" + labels(s, key, setup.replicas) + "\n";
      return 0;
    }
    std::vector<std::string> before;
    before.reserve(requests.size());
    for (const auto& key : requests) before.push_back(labels(s, key, setup.replicas));
    const sh::Workload w = sh::workload_from_requests(requests);
    if (setup.op.op == sh::Operation::SplitHotRange)
      s.split_hot_range(w.popularity);
    else
      sh::apply_operation(s, setup.op, w);
    for (std::size_t i = 0; i < requests.size(); ++i)
      out += requests[i] + "\t" + before[i] + "\t" + labels(s, requests[i], setup.replicas) + "\n";
    return 0;
  }

  sh::Workload workload;
  if (keys_it != args.files.end()) {
    workload = sh::workload_from_requests(read_key_file(keys_it->second));
  } else {
    workload = sh::make_workload({.keys = static_cast<std::uint64_t>(param_int(p, "keys")),
                                  .skew = param_double(p, "skew"),
                                  .hot_range = param_bool(p, "hot_range"),
                                  .seed = seed});
  }
  out += experiment_json(setup, workload);
  if (param_str(p, "compare") != "none") {
    out.pop_back();  // reopen the object
    out += ",\"compare\":" + experiment_json(setup_from(p, "compare"), workload) + "}";
  }
  out += "\n";
  return 0;
}

}  // namespace scalebook::cli
