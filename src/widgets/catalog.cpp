#include "widgets/catalog.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "util/json.h"
#include "widgets/params.h"

namespace scalebook::widgets {

// The widgets this binary holds come from catalog_table.cpp, compiled once per list:
// natively over the whole of catalog.def, in Wasm once per bundle over that bundle's
// lines (src/platform/web/CMakeLists.txt), so a bundle links only its own widgets.
std::vector<WidgetInfo> catalog_entries();

const std::vector<WidgetInfo>& catalog() {
  static const std::vector<WidgetInfo> all = catalog_entries();
  return all;
}

const WidgetInfo* find_widget(std::string_view name) {
  for (const auto& w : catalog())
    if (w.name == name) return &w;
  return nullptr;
}

const ParamSpec* find_param(const WidgetInfo& widget, std::string_view name) {
  for (const auto& p : widget.params)
    if (p.name == name) return &p;
  return nullptr;
}

const PresetSpec* find_preset(const WidgetInfo& widget, std::string_view id) {
  for (const auto& p : widget.presets)
    if (p.id == id) return &p;
  return nullptr;
}

namespace {
// "a, b, c" from the `field` of each item.
template <typename Items, typename Field>
std::string join_names(const Items& items, Field field) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item.*field;
  }
  return out;
}
}  // namespace

std::string preset_ids(const WidgetInfo& widget) { return join_names(widget.presets, &PresetSpec::id); }

const ActionSpec* find_action(const WidgetInfo& widget, std::string_view name) {
  for (const auto& a : widget.actions)
    if (a.name == name) return &a;
  return nullptr;
}

std::string action_names(const WidgetInfo& widget) {
  return widget.actions.empty() ? std::string("none") : join_names(widget.actions, &ActionSpec::name);
}

namespace {

// Shortest "%g" text that reads back as the same double (libc++ in Emscripten 3.1.6
// has no floating-point std::to_chars).
std::string fmt_number(double v) {
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {  // whole numbers in full: 10, not 1e+01
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  std::string tmp(s);
  char* end = nullptr;
  out = std::strtod(tmp.c_str(), &end);
  return end == tmp.c_str() + tmp.size() && std::isfinite(out);
}

bool parse_int(std::string_view s, long long& out) {
  if (s.empty()) return false;
  const char* first = s.data();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

void json_string(std::string& out, std::string_view s) { util::append_json_string(out, s); }

const char* type_name(ParamType t) {
  switch (t) {
    case ParamType::Int: return "int";
    case ParamType::Float: return "float";
    case ParamType::Bool: return "bool";
    case ParamType::Choice: return "choice";
    case ParamType::Text: return "text";
  }
  return "text";
}

}  // namespace

std::string validate_param(const ParamSpec& p, std::string_view value) {
  switch (p.type) {
    case ParamType::Int: {
      long long v = 0;
      if (!parse_int(value, v)) return "expected an integer, got \"" + std::string(value) + "\"";
      if (v < p.min || v > p.max)
        return "value " + std::string(value) + " is out of range [" + fmt_number(p.min) + ", " + fmt_number(p.max) + "]";
      break;
    }
    case ParamType::Float: {
      double v = 0;
      if (!parse_double(value, v)) return "expected a number, got \"" + std::string(value) + "\"";
      if (v < p.min || v > p.max)
        return "value " + std::string(value) + " is out of range [" + fmt_number(p.min) + ", " + fmt_number(p.max) + "]";
      break;
    }
    case ParamType::Bool:
      if (value != "true" && value != "false") return "expected true or false, got \"" + std::string(value) + "\"";
      break;
    case ParamType::Choice: {
      bool ok = false;
      std::string list;
      for (auto c : p.choices) {
        if (c == value) ok = true;
        if (!list.empty()) list += ", ";
        list += c;
      }
      if (!ok) return "expected one of " + list + ", got \"" + std::string(value) + "\"";
      break;
    }
    case ParamType::Text:
      break;
  }
  if (p.check) return p.check(value);
  return {};
}

namespace {
// The checks a preset id and an action name share: "[a-z0-9-]+", unique in the widget,
// a label. `what` is "id" or "name"; problems go through `fail`.
template <typename Items, typename Fail>
void check_slug(const Items& items, std::size_t i, std::string_view slug, std::string_view label, const char* what,
                Fail fail, std::string_view (*slug_of)(const typename Items::value_type&)) {
  bool ok = !slug.empty();
  for (char c : slug) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) fail(slug, std::string(what) + " must be lower-case letters, digits and '-'");
  for (std::size_t j = 0; j < i; ++j)
    if (slug_of(items[j]) == slug) fail(slug, std::string(what) + " used twice");
  if (label.empty()) fail(slug, "label is empty");
}
}  // namespace

std::string validate_presets(const WidgetInfo& w) {
  std::string out;
  auto fail = [&out](std::string_view id, const std::string& msg) {
    out += "preset '" + std::string(id) + "': " + msg + "\n";
  };
  for (std::size_t i = 0; i < w.presets.size(); ++i) {
    const PresetSpec& pr = w.presets[i];
    check_slug(w.presets, i, pr.id, pr.label, "id", fail, [](const PresetSpec& x) { return x.id; });
    if (pr.story.empty()) fail(pr.id, "story is empty");
    for (std::size_t k = 0; k < pr.params.size(); ++k) {
      const auto& [key, value] = pr.params[k];
      const ParamSpec* spec = find_param(w, key);
      if (!spec) {
        fail(pr.id, "unknown parameter '" + std::string(key) + "' (known: " + param_names(w) + ")");
        continue;
      }
      for (std::size_t m = 0; m < k; ++m)
        if (pr.params[m].first == key) fail(pr.id, "parameter '" + std::string(key) + "' set twice");
      if (std::string msg = validate_param(*spec, value); !msg.empty())
        fail(pr.id, "parameter '" + std::string(key) + "': " + msg);
    }
    if (out.empty() && w.check)  // valid one by one: the whole set must also run
      if (std::string msg = w.check(preset_params(w, pr)); !msg.empty()) fail(pr.id, msg);
  }
  if (!out.empty()) out.pop_back();
  return out;
}

std::string validate_actions(const WidgetInfo& w) {
  std::string out;
  auto fail = [&out](std::string_view name, const std::string& msg) {
    out += "action '" + std::string(name) + "': " + msg + "\n";
  };
  for (std::size_t i = 0; i < w.actions.size(); ++i) {
    const ActionSpec& a = w.actions[i];
    check_slug(w.actions, i, a.name, a.label, "name", fail, [](const ActionSpec& x) { return x.name; });
    if (a.help.empty()) fail(a.name, "help is empty");
    for (const ParamSpec& arg : a.args)
      if (std::string msg = validate_param(arg, arg.default_value); !msg.empty())
        fail(a.name, "argument '" + std::string(arg.name) + "' default: " + msg);
  }
  if (!out.empty()) out.pop_back();
  return out;
}

std::string widget_names() { return join_names(catalog(), &WidgetInfo::name); }

std::string param_names(const WidgetInfo& widget) { return join_names(widget.params, &ParamSpec::name); }

namespace {
// The schema of a parameter list (a widget's parameters, an action's arguments) as JSON.
void append_params_json(std::string& out, const std::vector<ParamSpec>& params) {
  out += '[';
  bool first_p = true;
  for (const auto& p : params) {
    if (!first_p) out += ',';
    first_p = false;
    out += "{\"name\":";
    json_string(out, p.name);
    out += ",\"label\":";
    json_string(out, p.label.empty() ? p.name : p.label);
    out += ",\"type\":\"";
    out += type_name(p.type);
    out += "\",\"default\":";
    json_string(out, p.default_value);
    if (p.type == ParamType::Int || p.type == ParamType::Float) {
      out += ",\"min\":" + fmt_number(p.min) + ",\"max\":" + fmt_number(p.max);
    }
    if (p.type == ParamType::Choice) {
      out += ",\"choices\":[";
      bool fc = true;
      for (auto c : p.choices) {
        if (!fc) out += ',';
        fc = false;
        json_string(out, c);
      }
      out += ']';
    }
    out += ",\"help\":";
    json_string(out, p.help);
    out += '}';
  }
  out += ']';
}
}  // namespace

std::string catalog_json() {
  std::string out = "[";
  bool first_w = true;
  for (const auto& w : catalog()) {
    if (!first_w) out += ',';
    first_w = false;
    out += "{\"name\":";
    json_string(out, w.name);
    out += ",\"title\":";
    json_string(out, w.title);
    out += ",\"aria_label\":";
    json_string(out, w.aria_label);
    out += ",\"description\":";
    json_string(out, w.description);
    out += ",\"params\":";
    append_params_json(out, w.params);
    out += ",\"actions\":[";
    bool first_a = true;
    for (const auto& a : w.actions) {
      if (!first_a) out += ',';
      first_a = false;
      out += "{\"name\":";
      json_string(out, a.name);
      out += ",\"label\":";
      json_string(out, a.label);
      out += ",\"help\":";
      json_string(out, a.help);
      out += ",\"args\":";
      append_params_json(out, a.args);
      out += '}';
    }
    out += ']';
    out += ",\"presets\":[";
    bool first_pr = true;
    for (const auto& pr : w.presets) {
      if (!first_pr) out += ',';
      first_pr = false;
      out += "{\"id\":";
      json_string(out, pr.id);
      out += ",\"label\":";
      json_string(out, pr.label);
      out += ",\"story\":";
      json_string(out, pr.story);
      out += ",\"params\":{";
      bool first_kv = true;
      for (const auto& [k, v] : pr.params) {
        if (!first_kv) out += ',';
        first_kv = false;
        json_string(out, k);
        out += ':';
        json_string(out, v);
      }
      out += "}}";
    }
    out += "],\"runtime\":{\"seed_max\":" + std::to_string(kMaxSeed) + ",\"speed_min\":" + fmt_number(kMinSpeed) +
           ",\"speed_max\":" + fmt_number(kMaxSpeed) + ",\"time_max_us\":" + std::to_string(kMaxTimeUs) + "}}";
  }
  out += ']';
  return out;
}

}  // namespace scalebook::widgets
