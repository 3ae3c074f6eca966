// `scalebook sim lb` — the load-balancing widget's lanes (src/widgets/lb/scenario.h over
// the nginx and Envoy pickers of src/sim/lb) from the command line.
//
//   scalebook sim lb --set algorithm=nginx-swrr --set weights=5,1,1 --set compare=none --set requests=7
//   scalebook sim lb --set preset=slow-server --json
//
// Output: one line per request, in arrival order: the backend each lane picked (a, b, c …
// in configuration order), tab-separated, algorithm first, then compare's (unless
// compare=none) — so pick sequences can be compared with the real balancers'.
// --json: one object — the Erlang C means for one pooled queue and for separate M/M/c
// queues at the configured rho, and per lane the latency percentiles (p50, p90, p99,
// p99.9, mean, max; µs, from a log histogram within 1/64) and per backend the requests
// it took, its utilisation over the run (busy worker time / (workers × run length))
// and its longest queue.
// Parameters: the widget's schema (src/widgets/lb/info.cpp) via --set, plus --set seed=S
// (default 1), as on the page toolbar. The widget's own limit (requests ≤ 50,000) does
// not apply here.
#include <string>

#include "cli/sim_args.h"
#include "widgets/lb/scenario.h"

namespace scalebook::cli {

namespace wlb = widgets::lb;

int sim_lb(const SimArgs& args_in, std::string& out) {
  SimArgs args = args_in;
  const std::uint64_t seed = take_seed(args);
  const auto p = resolve_params("lb", args, wlb::check_model_params);
  wlb::Setup setup;
  if (std::string e = wlb::build_setup(p, seed, setup); !e.empty()) throw UsageError(e);

  if (!args.json) {
    const wlb::Workload w = wlb::generate_workload(setup);
    std::vector<wlb::LaneRun> runs;
    for (wlb::Algorithm a : setup.algorithms) runs.push_back(wlb::simulate_lane(setup, a, w));
    std::string line;
    for (std::size_t r = 0; r < w.arrival_us.size(); ++r) {
      line.clear();
      for (std::size_t l = 0; l < runs.size(); ++l) {
        if (l) line += '\t';
        line += static_cast<char>('a' + runs[l].pick[r]);
      }
      out += line;
      out += '\n';
    }
    return 0;
  }

  wlb::LbScenario s;
  s.configure(p, seed);
  if (!s.error().empty()) throw UsageError(s.error());
  s.advance(s.duration_us());
  const std::int64_t end = s.duration_us();
  out += "{\"requests\":" + std::to_string(setup.requests) + ",\"backends\":" + std::to_string(setup.backends) +
         ",\"workers\":" + std::to_string(setup.workers) + ",\"utilisation\":" + json_number(setup.utilisation) +
         ",\"arrival_rate_per_s\":" + json_number(setup.arrival_rate_per_s(setup.utilisation)) +
         ",\"run_us\":" + std::to_string(end) + ",\"erlang_c\":{\"pooled_mean_us\":" + json_number(1000 * s.pooled_mean_ms()) +
         ",\"separate_mean_us\":" + json_number(1000 * s.separate_mean_ms()) + "},\"lanes\":[";
  for (std::size_t i = 0; i < s.lanes().size(); ++i) {
    const wlb::Lane& l = s.lanes()[i];
    const auto& h = l.latency_us;
    out += (i ? "," : "") + std::string("{\"algorithm\":\"") + wlb::algorithm_name(l.algorithm) +
           "\",\"completed\":" + std::to_string(h.count()) + ",\"latency_us\":{\"p50\":" + std::to_string(h.quantile(0.5)) +
           ",\"p90\":" + std::to_string(h.quantile(0.9)) + ",\"p99\":" + std::to_string(h.quantile(0.99)) +
           ",\"p999\":" + std::to_string(h.quantile(0.999)) + ",\"mean\":" + json_number(h.mean()) +
           ",\"max\":" + std::to_string(h.max()) + "},\"backends\":[";
    for (std::size_t b = 0; b < l.backends.size(); ++b) {
      const wlb::BackendNow& k = l.backends[b];
      out += (b ? "," : "") + std::string("{\"name\":\"") + static_cast<char>('a' + b) + "\",\"weight\":" +
             std::to_string(setup.weights[b]) + ",\"requests\":" + std::to_string(k.picked) +
             ",\"utilisation\":" + json_number(l.utilisation(b, end, setup.workers)) + ",\"max_queue\":" + std::to_string(k.max_queue) + "}";
    }
    out += "]}";
  }
  out += "]}\n";
  return 0;
}

}  // namespace scalebook::cli
