// actions.h — the reader's actions in a run: what they are, how they are checked, and
// their two text forms. UI-free (the CLI, the host and the tests share it).
//
// An Action is (time_us, name, args): at simulated time `time_us` the reader did `name`
// with `args` (each validated against the widget's ActionSpec, catalog.h). A run's
// actions are kept in time order; two at the same time keep the order they were taken.
//
// Text forms (both parse with a message naming the bad part):
//   log      "1500000:add-wave:2+3200000:add-wave:1"  permalinks and the host: time in
//            whole µs, name, then the arguments comma-separated; actions joined by '+'.
//            Arguments travel percent-encoded by the page when they need it (Text args);
//            the characters ':' ',' '+' are never part of a valid Int/Float/Choice value.
//   cli      "1.5:add-wave:2"  `scalebook sim … --action`: time in seconds (up to 6
//            decimals), then as above; one action per --action.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "widgets/catalog.h"

namespace scalebook::widgets {

struct Action {
  std::int64_t time_us = 0;
  std::string name;
  std::vector<std::string> args;  // every argument of the spec, defaults filled in
  bool operator==(const Action&) const = default;
};

// Checks `a` against the widget's schema and fills missing trailing args with their
// defaults. "" when valid, else "action 'name': …".
std::string normalise_action(const WidgetInfo& info, Action& a);

// "1500000:add-wave:2" (log form, one action).
std::string format_action(const Action& a);
std::string format_actions(const std::vector<Action>& actions);  // joined by '+'

// Parse the log form (several actions joined by '+'; "" is no action). Checks each
// against the schema and that times do not go backwards. "" or the first problem.
std::string parse_actions(const WidgetInfo& info, const std::string& text, std::vector<Action>& out);

// Seconds with up to 6 decimals, exactly (no floating point): "3.2" → 3200000. False
// for anything else (signs, exponents, more decimals, over 2^53 µs).
bool parse_seconds_us(const std::string& text, std::int64_t& us);

// Parse one `--action T:name:args` (T in seconds). "" or a message.
std::string parse_cli_action(const WidgetInfo& info, const std::string& text, Action& out);

}  // namespace scalebook::widgets
