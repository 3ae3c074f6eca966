// The sharding widget's parameter schema: strategies from hash mod N to ketama,
// jump, Maglev and bounded loads, with the workload and the membership change
// whose key movement it shows. Model: src/sim/sharding. CLI: `scalebook sim sharding`.
#include <string>

#include "sim/sharding/maglev.h"
#include "sim/sharding/node.h"
#include "widgets/catalog.h"
#include "widgets/sharding/scenario.h"

namespace scalebook::widgets {

namespace {

std::string check_nodes(std::string_view value) {
  if (value.empty()) return {};  // empty: generated nodes
  std::string error;
  sim::sharding::parse_node_list(value, error);
  return error;
}

std::string check_prime(std::string_view value) {
  const unsigned long long n = std::stoull(std::string(value));  // already validated as an integer in range
  if (!sim::sharding::is_prime(n)) return "Maglev's table size must be a prime number (e.g. 251, 65537), got " + std::string(value);
  return {};
}

}  // namespace

WidgetInfo sharding_info() {
  return {
      .name = "sharding",
      .title = "Sharding and consistent hashing",
      .aria_label = "A hash ring with nodes, their virtual nodes and keys; per-node load bars; keys that move "
                    "when a node is added or removed are highlighted.",
      .description = "Place keys on nodes with hash mod N, a consistent-hash ring with virtual nodes, memcached's "
                     "ketama (exactly as libmemcached computes it), rendezvous hashing, Jump Consistent Hash, Maglev, "
                     "range partitioning, a directory, or consistent hashing with bounded loads. Add or remove a node "
                     "or change a weight and see which keys move and where, against the ideal K/(N+1); add hot keys "
                     "and watch the load per node.",
      .params = {
          {.name = "strategy", .type = ParamType::Choice, .default_value = "ring", .min = 0, .max = 0,
           .choices = {"mod-n", "ring", "ketama", "rendezvous", "jump", "maglev", "range", "directory", "bounded"},
           .help = "How keys are mapped to nodes.", .label = "Strategy"},
          {.name = "compare", .type = ParamType::Choice, .default_value = "none", .min = 0, .max = 0,
           .choices = {"none", "mod-n", "ring", "ketama", "rendezvous", "jump", "maglev", "range", "directory", "bounded"},
           .help = "A second strategy run side by side on the same keys and the same operation.", .label = "Compare with"},
          {.name = "nodes", .type = ParamType::Text, .default_value = "", .min = 0, .max = 0, .choices = {},
           .help = "Node list host:port[:weight], comma-separated (e.g. 10.0.0.1:11211,10.0.0.2:11211:2); empty = "
                   "node_count generated nodes.",
           .check = check_nodes, .label = "Nodes"},
          {.name = "node_count", .type = ParamType::Int, .default_value = "5", .min = 1, .max = 1000, .choices = {},
           .help = "How many nodes to generate when no node list is given.", .label = "Node count"},
          {.name = "buckets", .type = ParamType::Int, .default_value = "0", .min = 0, .max = 1000000, .choices = {},
           .help = "Number of buckets (nodes) when no node list is given, overriding node_count (for jump and mod-n); "
                   "0 = use node_count (the widget draws at most 1000).",
           .label = "Buckets"},
          {.name = "vnodes", .type = ParamType::Int, .default_value = "160", .min = 1, .max = 1000, .choices = {},
           .help = "Virtual nodes (ring points) per unit of weight for the ring and bounded-load strategies.",
           .label = "Virtual nodes"},
          {.name = "table_size", .type = ParamType::Int, .default_value = "65537", .min = 2, .max = 1000003,
           .choices = {}, .help = "Maglev lookup table size M: a prime, much larger than the node count.",
           .check = check_prime, .label = "Maglev table size"},
          {.name = "epsilon", .type = ParamType::Float, .default_value = "0.25", .min = 0, .max = 10, .choices = {},
           .help = "Bounded loads: each node holds at most ceil((1 + epsilon) x mean) keys.", .label = "Epsilon"},
          {.name = "replicas", .type = ParamType::Int, .default_value = "1", .min = 1, .max = 10, .choices = {},
           .help = "Copies of each key: a preference list of this many distinct nodes.", .label = "Replicas"},
          {.name = "keys", .type = ParamType::Int, .default_value = "10000", .min = 1, .max = 1000000, .choices = {},
           .help = "Number of distinct keys in the generated workload (the widget places at most 200,000).", .label = "Keys"},
          {.name = "skew", .type = ParamType::Float, .default_value = "0", .min = 0, .max = 3, .choices = {},
           .help = "Zipf exponent of key popularity: 0 = uniform, 1 = a few hot keys take a large share of requests.",
           .label = "Hot-key skew"},
          {.name = "hot_range", .type = ParamType::Bool, .default_value = "false", .min = 0, .max = 0, .choices = {},
           .help = "Make the hot keys adjacent in key order (like time-ordered keys), so one range gets hot.",
           .label = "Hot keys adjacent"},
          {.name = "operation", .type = ParamType::Choice, .default_value = "none", .min = 0, .max = 0,
           .choices = {"none", "add-node", "remove-node", "set-weight", "split-hot-range"},
           .help = "The membership change whose key movement is measured.", .label = "Operation"},
          {.name = "target", .type = ParamType::Int, .default_value = "-1", .min = -1, .max = 999999, .choices = {},
           .help = "Node index to remove or re-weight; -1 = the last node.", .label = "Target node"},
          {.name = "weight", .type = ParamType::Int, .default_value = "1", .min = 1, .max = 1000000, .choices = {},
           .help = "Weight of the added node, or the new weight for set-weight.", .label = "Weight"},
      },
      // The combinations the model cannot run and what the widget cannot show
      // (scenario.cpp): a fence, the page and the controls are refused, nothing is
      // substituted. `scalebook sim sharding` draws nothing and applies only the model's
      // part (check_model_params).
      .check = sharding::check_params,
      .make_scenario = make_sharding_scenario,
  };
}

}  // namespace scalebook::widgets
