// catalog.h — the widget catalog's metadata half: names, titles, parameter schemas.
//
// UI-free on purpose: the native site tool links it to validate ```widget fences
// at build time, `scalebook sim` uses it to parse `--set key=value`, and the Wasm
// bundle exports it as JSON so the page loader validates attributes and
// permalinks and generates accessible DOM controls from the same schema.
// The list of widgets itself lives in catalog.def (one line per widget).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace scalebook::widgets {

enum class ParamType { Int, Float, Bool, Choice, Text };

struct ParamSpec {
  std::string_view name = {};
  ParamType type = ParamType::Float;
  std::string_view default_value = {};
  double min = 0.0;  // Int/Float: inclusive range
  double max = 0.0;
  std::vector<std::string_view> choices = {};  // Choice
  std::string_view help = {};                  // one sentence, shown as tooltip/description
  // Text (and optionally others): extra syntax check; returns "" when valid,
  // otherwise a message such as "expected a rate like 10r/s or 30r/m".
  std::string (*check)(std::string_view value) = nullptr;
  std::string_view label = {};  // short UI label; empty = name
};

struct WidgetInfo {
  std::string_view name = {};        // element name attribute, e.g. "rate-limiter"
  std::string_view title = {};       // human title, e.g. "Rate limiter"
  std::string_view aria_label = {};  // what the canvas shows, for screen readers
  std::string_view description = {}; // one paragraph: what the reader can do with it
  std::vector<ParamSpec> params = {};
};

// Every widget, in catalog.def order.
const std::vector<WidgetInfo>& catalog();
const WidgetInfo* find_widget(std::string_view name);
const ParamSpec* find_param(const WidgetInfo& widget, std::string_view name);

// "" when `value` is valid for `param`, otherwise a readable message
// (without the parameter name; callers add context such as file:line).
std::string validate_param(const ParamSpec& param, std::string_view value);

// Names list for messages: "a, b, c".
std::string widget_names();
std::string param_names(const WidgetInfo& widget);

// The whole catalog as JSON (names, titles, labels, params with type/default/range/choices/help).
std::string catalog_json();

}  // namespace scalebook::widgets
