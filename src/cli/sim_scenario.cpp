// `scalebook sim <widget>` for any widget on the Scenario shape that has no command of
// its own: runs its Scenario natively through a Run (widgets/run.h), exactly as the page
// does, with the reader's actions.
//
//   scalebook sim hello --set waves=5 --action 1.5:add-wave:2 --until 3 [--json]
//
// --until T   simulated seconds to run (default 10; up to 6 decimals)
// --action A  T:name[:args] (widgets/actions.h), in time order; each is taken at time T
// Text output: time, applied actions, summary and digest, one "key: value" per line;
// --json: the same as one object with the scenario's state.
#include <string>

#include "cli/sim_args.h"
#include "util/json.h"
#include "widgets/run.h"

namespace scalebook::cli {

int sim_scenario(const SimArgs& args_in, std::string& out) {
  SimArgs args = args_in;
  const std::uint64_t seed = take_seed(args);
  const auto* info = widgets::find_widget(args.model);
  if (!info) throw UsageError("unknown widget '" + args.model + "'");
  const auto params = resolve_params(args.model, args);
  std::vector<widgets::Action> actions;
  for (const std::string& text : args.actions) {
    widgets::Action a;
    if (std::string msg = widgets::parse_cli_action(*info, text, a); !msg.empty()) throw UsageError(msg);
    if (!actions.empty() && a.time_us < actions.back().time_us)
      throw UsageError("--action '" + text + "': earlier than the action before it (give actions in time order)");
    actions.push_back(std::move(a));
  }
  std::int64_t until_us = 10'000'000;
  if (!args.until.empty() && !widgets::parse_seconds_us(args.until, until_us))
    throw UsageError("--until '" + args.until + "': expected seconds (up to 6 decimals), e.g. 2.5");
  widgets::Run run(*info, widgets::make_scenario(args.model));
  run.configure(params, seed, actions);
  run.seek(until_us);
  const widgets::Scenario& s = run.scenario();
  if (run.refused_index() >= 0)
    throw UsageError("--action '" + args.actions.at(static_cast<std::size_t>(run.refused_index())) +
                     "' was refused when the run reached it: " + run.refused());
  std::size_t applied = 0;
  for (const auto& a : actions) applied += a.time_us <= s.time_us();
  if (args.json) {
    out += "{\"widget\":";
    util::append_json_string(out, args.model);
    out += ",\"seed\":" + std::to_string(seed) + ",\"time_us\":" + std::to_string(s.time_us()) + ",\"actions\":";
    util::append_json_string(out, widgets::format_actions(actions));
    out += ",\"actions_applied\":" + std::to_string(applied) + ",\"summary\":";
    util::append_json_string(out, s.summary());
    out += ",\"digest\":\"" + run.digest() + "\",\"state\":" + s.state_json() + "}\n";
    return 0;
  }
  out += "time_us: " + std::to_string(s.time_us()) + "\n";
  out += "actions: " + std::to_string(applied) + " of " + std::to_string(actions.size()) + " applied\n";
  out += "summary: " + s.summary() + "\n";
  out += "digest: " + run.digest() + "\n";
  return 0;
}

}  // namespace scalebook::cli
