// catalog.h — the widget catalog's metadata half: names, titles, parameter schemas.
//
// UI-free on purpose: the native site tool links it to validate ```widget fences
// at build time, `scalebook sim` uses it to parse `--set key=value`, and the Wasm
// bundle exports it as JSON so the page loader validates attributes and
// permalinks and generates accessible DOM controls from the same schema.
// The list of widgets itself lives in catalog.def (one line per widget).
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scalebook::widgets {

class Scenario;

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

// A story preset: a named parameter set that tells one story ("boundary attack").
// Applying it sets every parameter to its schema default, then `params` over that;
// the seed, speed and play state are left alone. The platform shows presets as
// buttons (DOM control panel and in-canvas toolbar) and the active one's story;
// fences may start from one (`preset = boundary`), `scalebook sim` too
// (`--set preset=boundary`). validate_presets() checks them against the schema.
struct PresetSpec {
  std::string_view id = {};     // [a-z0-9-]+, unique within the widget: "boundary"
  std::string_view label = {};  // button text: "Boundary attack"
  std::string_view story = {};  // one or two sentences: what to watch for
  std::vector<std::pair<std::string_view, std::string_view>> params = {};  // overrides of the defaults
};

// An action the reader can take in the middle of a run ("add a wave", later "kill the
// leader", "partition n3"). A run records each as (time, name, args) in order; replaying
// the log from (params, seed) reproduces the run (widgets/run.h). Arguments are typed and
// validated like parameters (ParamSpec: name, type, default, range or choices, help).
struct ActionSpec {
  std::string_view name = {};   // [a-z0-9-]+: "add-wave"
  std::string_view label = {};  // button text: "Add a wave"
  std::string_view help = {};   // one sentence: what it does to the run
  std::vector<ParamSpec> args = {};  // in order; each has a default
};

struct WidgetInfo {
  std::string_view name = {};        // element name attribute, e.g. "rate-limiter"
  std::string_view title = {};       // human title, e.g. "Rate limiter"
  std::string_view aria_label = {};  // what the canvas shows, for screen readers
  std::string_view description = {}; // one paragraph: what the reader can do with it
  std::vector<ParamSpec> params = {};
  std::vector<PresetSpec> presets = {};  // optional story presets, in button order
  std::vector<ActionSpec> actions = {};  // what the reader can do mid-run (may be empty)
  // The cross-parameter check (UI-free, from the widget's scenario.h): "" when the full
  // parameter map can run, else "parameter 'k': message" naming the parameter to change.
  // Null: every combination of individually valid values runs. Called by the one
  // parameter path (widgets/param_edit.h) after the per-parameter checks.
  std::string (*check)(const std::map<std::string, std::string>& params) = nullptr;
  // The widget's Scenario factory (scenario.h; src/widgets/<dir>/scenario.cpp), named here
  // so that linking the catalog links every scenario. Null: not yet on the Scenario shape.
  std::unique_ptr<Scenario> (*make_scenario)() = nullptr;
};

// Every widget, in catalog.def order.
const std::vector<WidgetInfo>& catalog();
const WidgetInfo* find_widget(std::string_view name);
const ParamSpec* find_param(const WidgetInfo& widget, std::string_view name);

const PresetSpec* find_preset(const WidgetInfo& widget, std::string_view id);
const ActionSpec* find_action(const WidgetInfo& widget, std::string_view name);
std::string action_names(const WidgetInfo& widget);  // "add-wave, …" or "none"
std::string preset_ids(const WidgetInfo& widget);  // "burst, boundary" (messages)

// Keys ```widget fences reserve (`preset` also in `scalebook sim --set`): no parameter may use them.
inline constexpr std::string_view kReservedParamNames[] = {"caption", "preset"};

// "" when every preset of `widget` is well-formed: ids valid and unique, label and
// story present, each override names a parameter once and passes validate_param.
// Otherwise every problem, one per line, as "preset 'id': message".
std::string validate_presets(const WidgetInfo& widget);

// "" when every action spec is well-formed (names valid and unique, label and help
// present, each argument's default valid), else one problem per line.
std::string validate_actions(const WidgetInfo& widget);

// "" when `value` is valid for `param`, otherwise a readable message
// (without the parameter name; callers add context such as file:line).
std::string validate_param(const ParamSpec& param, std::string_view value);

// Names list for messages: "a, b, c".
std::string widget_names();
std::string param_names(const WidgetInfo& widget);

// The whole catalog as JSON (names, titles, labels, params with type/default/range/choices/help,
// presets with id/label/story/params).
std::string catalog_json();

}  // namespace scalebook::widgets
