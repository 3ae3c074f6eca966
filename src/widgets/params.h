// params.h — a widget's resolved parameter values (name → text), already validated
// against its schema, with typed accessors. UI-free: used by views and `scalebook sim`.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "widgets/catalog.h"

namespace scalebook::widgets {

using ParamMap = std::map<std::string, std::string>;

// The largest run seed: 2^53 - 1, the largest whole number a JS number holds exactly
// (the page's seed field, permalinks and `scalebook sim --set seed=` share this range).
inline constexpr std::uint64_t kMaxSeed = 9007199254740991ull;
// Playback speed range (simulated time per real time, × the scenario's own rate).
inline constexpr double kMinSpeed = 0.1;
inline constexpr double kMaxSpeed = 10.0;
// The latest simulated time a run is replayed to (a permalink's t=, seek, an action's time):
// a simulated day. These four ranges reach the page loader in the catalog JSON ("runtime").
inline constexpr std::int64_t kMaxTimeUs = 24ll * 3600 * 1000000;

// Every parameter at its schema default.
inline ParamMap default_params(const WidgetInfo& w) {
  ParamMap m;
  for (const auto& p : w.params) m[std::string(p.name)] = std::string(p.default_value);
  return m;
}

// A preset's full parameter set: every default, then the preset's overrides.
inline ParamMap preset_params(const WidgetInfo& w, const PresetSpec& preset) {
  ParamMap m = default_params(w);
  for (const auto& [k, v] : preset.params) m[std::string(k)] = std::string(v);
  return m;
}

// The preset whose full parameter set equals `params` exactly, or nullptr (so a
// permalink or a fence reproduces "which story is showing" without storing it, and
// changing any parameter by hand leaves the preset).
inline const PresetSpec* active_preset(const WidgetInfo& w, const ParamMap& params) {
  for (const auto& p : w.presets)
    if (preset_params(w, p) == params) return &p;
  return nullptr;
}

inline const std::string& get_text(const ParamMap& m, const std::string& k) {
  static const std::string empty;
  auto it = m.find(k);
  return it == m.end() ? empty : it->second;
}
inline double get_double(const ParamMap& m, const std::string& k) { return std::strtod(get_text(m, k).c_str(), nullptr); }
inline long long get_int(const ParamMap& m, const std::string& k) { return std::strtoll(get_text(m, k).c_str(), nullptr, 10); }
inline bool get_bool(const ParamMap& m, const std::string& k) { return get_text(m, k) == "true"; }

}  // namespace scalebook::widgets
