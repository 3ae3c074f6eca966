// params.h — a widget's resolved parameter values (name → text), already validated
// against its schema, with typed accessors. UI-free: used by views and `scalebook sim`.
#pragma once
#include <cstdlib>
#include <map>
#include <string>

#include "widgets/catalog.h"

namespace scalebook::widgets {

using ParamMap = std::map<std::string, std::string>;

// Every parameter at its schema default.
inline ParamMap default_params(const WidgetInfo& w) {
  ParamMap m;
  for (const auto& p : w.params) m[std::string(p.name)] = std::string(p.default_value);
  return m;
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
