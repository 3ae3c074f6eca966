#include "cli/sim_args.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "widgets/param_edit.h"
#include "widgets/run.h"

namespace scalebook::cli {

SimArgs parse_sim_args(const std::string& model, const std::vector<std::string>& args,
                       const std::vector<std::string>& file_options, bool run_options,
                       const std::vector<std::string>& flag_options) {
  SimArgs out;
  out.model = model;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto add_set = [&](const std::string& kv) {
      auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) throw UsageError("--set expects key=value, got '" + kv + "'");
      out.sets.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    };
    if (a == "--set") {
      if (i + 1 >= args.size()) throw UsageError("--set needs key=value");
      add_set(args[++i]);
    } else if (a.rfind("--set=", 0) == 0) {
      add_set(a.substr(6));
    } else if (a == "--json") {
      out.json = true;
    } else if (run_options && (a == "--action" || a == "--until")) {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      if (a == "--action") out.actions.push_back(args[++i]);
      else out.until = args[++i];
    } else if (std::find(flag_options.begin(), flag_options.end(), a.substr(std::min<std::size_t>(2, a.size()))) !=
                   flag_options.end() && a.rfind("--", 0) == 0) {
      out.flags.push_back(a.substr(2));
    } else if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2);
      std::string value;
      auto eq = name.find('=');
      bool has_inline = eq != std::string::npos;
      if (has_inline) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      bool known = false;
      for (const auto& f : file_options) known = known || f == name;
      if (!known) throw UsageError("unknown option '" + a + "' for 'sim " + model + "'");
      if (!has_inline) {
        if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a file name");
        value = args[++i];
      }
      out.files[name] = value;
    } else {
      throw UsageError("unexpected argument '" + a + "' for 'sim " + model + "'");
    }
  }
  return out;
}

std::map<std::string, std::string> resolve_params(const std::string& widget_name, const SimArgs& args,
                                                  std::string (*model_check)(const widgets::ParamMap&)) {
  const auto* found = widgets::find_widget(widget_name);
  if (!found) throw UsageError("no widget schema named '" + widget_name + "'");
  widgets::WidgetInfo info = *found;
  if (model_check) info.check = model_check;
  const widgets::WidgetInfo* w = &info;
  // --set preset=ID starts from that story preset (the widget's catalog entry); the other
  // --set values, wherever they are written, override it (the last preset= wins). Then
  // the one parameter path (widgets/param_edit.h) checks each value and the whole set.
  widgets::ParamEdits edits;
  for (const auto& [k, v] : args.sets)
    if (k == "preset") edits.emplace_back(k, v);  // each is checked; the last one wins
  for (const auto& [k, v] : args.sets)
    if (k != "preset") edits.emplace_back(k, v);
  widgets::ParamMap values = widgets::default_params(*w);
  const auto out = widgets::apply_edits(*w, values, edits);
  if (out.result == widgets::EditResult::Refused) throw UsageError(out.message);
  return values;
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, end);
}

std::ifstream open_input(const std::string& path, const char* what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw UsageError("cannot read " + std::string(what) + " '" + path + "': it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read " + std::string(what) + " '" + path + "'");
  return in;
}

void check_read(const std::ifstream& in, const std::string& path, const char* what) {
  if (in.bad()) throw UsageError("error while reading " + std::string(what) + " '" + path + "'");
}

std::uint64_t take_seed(SimArgs& args) {
  std::uint64_t seed = 1;
  std::vector<std::pair<std::string, std::string>> rest;
  for (auto& kv : args.sets) {
    if (kv.first != "seed") {
      rest.push_back(kv);
      continue;
    }
    const std::string& v = kv.second;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), seed);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || seed > widgets::kMaxSeed)
      throw UsageError("parameter 'seed': expected a whole number from 0 to " + std::to_string(widgets::kMaxSeed) +
                       ", got \"" + v + "\"");
  }
  args.sets = std::move(rest);
  return seed;
}

namespace {
const std::string& lookup(const std::map<std::string, std::string>& p, const std::string& key) {
  auto it = p.find(key);
  if (it == p.end()) throw std::logic_error("parameter '" + key + "' missing from schema");
  return it->second;
}
}  // namespace

double param_double(const std::map<std::string, std::string>& p, const std::string& key) {
  return std::strtod(lookup(p, key).c_str(), nullptr);
}
long long param_int(const std::map<std::string, std::string>& p, const std::string& key) {
  return std::strtoll(lookup(p, key).c_str(), nullptr, 10);
}
bool param_bool(const std::map<std::string, std::string>& p, const std::string& key) { return lookup(p, key) == "true"; }
const std::string& param_str(const std::map<std::string, std::string>& p, const std::string& key) { return lookup(p, key); }

namespace {
// A widget with a Scenario and no command of its own runs through sim_scenario().
bool runs_generically(const widgets::WidgetInfo& w) {
  for (const auto& c : sim_commands())
    if (w.name == c.model) return false;
  return w.make_scenario != nullptr;
}
}  // namespace

int run_sim(const std::vector<std::string>& argv, std::string& out, std::string& err) {
  auto usage = [] {
    std::string u = "usage: scalebook sim <model> [--set key=value]... [--json] [input options]\nmodels:\n";
    for (const auto& c : sim_commands()) u += std::string("  ") + c.model + "  " + c.summary + "\n";
    for (const auto& w : widgets::catalog())
      if (runs_generically(w))
        u += "  " + std::string(w.name) + "  " + std::string(w.title) +
             " [--action T:name[:args]]... [--until T] (actions: " + widgets::action_names(w) + ")\n";
    return u;
  };
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    out += usage();
    return argv.empty() ? 2 : 0;
  }
  for (const auto& c : sim_commands()) {
    if (argv[0] != c.model) continue;
    try {
      SimArgs args = parse_sim_args(c.model, {argv.begin() + 1, argv.end()}, c.file_options, false, c.flag_options);
      return c.run(args, out);
    } catch (const UsageError& e) {
      err = e.what();
      return 2;
    }
  }
  // Any other widget with a Scenario: the generic command (sim_scenario.cpp).
  if (widgets::find_widget(argv[0]) && widgets::make_scenario(argv[0])) {
    try {
      SimArgs args = parse_sim_args(argv[0], {argv.begin() + 1, argv.end()}, {}, true);
      return sim_scenario(args, out);
    } catch (const UsageError& e) {
      err = e.what();
      return 2;
    }
  }
  std::string names;
  for (const auto& c : sim_commands()) names += (names.empty() ? "" : ", ") + std::string(c.model);
  for (const auto& w : widgets::catalog())
    if (runs_generically(w)) names += (names.empty() ? "" : ", ") + std::string(w.name);
  err = "unknown model '" + argv[0] + "' (known: " + (names.empty() ? "none yet" : names) + ")";
  return 2;
}

}  // namespace scalebook::cli
