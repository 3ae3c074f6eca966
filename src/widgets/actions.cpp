#include "widgets/actions.h"

#include "widgets/params.h"

#include <charconv>

namespace scalebook::widgets {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

bool parse_u64(const std::string& s, std::uint64_t& v) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

// "name:a,b" after the time: fills name and args.
void split_name_args(const std::string& rest, Action& a) {
  const std::size_t colon = rest.find(':');
  a.name = rest.substr(0, colon);
  a.args.clear();
  if (colon != std::string::npos) a.args = split(rest.substr(colon + 1), ',');
}

}  // namespace

std::string normalise_action(const WidgetInfo& info, Action& a) {
  const ActionSpec* spec = find_action(info, a.name);
  if (!spec) return "action '" + a.name + "': unknown action (known: " + action_names(info) + ")";
  if (a.args.size() > spec->args.size())
    return "action '" + a.name + "': takes " + std::to_string(spec->args.size()) + " argument" +
           (spec->args.size() == 1 ? "" : "s") + ", got " + std::to_string(a.args.size());
  for (std::size_t i = a.args.size(); i < spec->args.size(); ++i) a.args.emplace_back(spec->args[i].default_value);
  for (std::size_t i = 0; i < spec->args.size(); ++i)
    if (std::string msg = validate_param(spec->args[i], a.args[i]); !msg.empty())
      return "action '" + a.name + "' argument '" + std::string(spec->args[i].name) + "': " + msg;
  if (a.time_us < 0 || a.time_us > kMaxTimeUs) return "action '" + a.name + "': time out of range";
  return {};
}

std::string format_action(const Action& a) {
  std::string s = std::to_string(a.time_us) + ":" + a.name;
  for (std::size_t i = 0; i < a.args.size(); ++i) s += (i ? "," : ":") + a.args[i];
  return s;
}

std::string format_actions(const std::vector<Action>& actions) {
  std::string s;
  for (const auto& a : actions) s += (s.empty() ? "" : "+") + format_action(a);
  return s;
}

std::string parse_actions(const WidgetInfo& info, const std::string& text, std::vector<Action>& out) {
  out.clear();
  if (text.empty()) return {};
  std::int64_t prev = 0;
  std::size_t n = 0;
  for (const std::string& item : split(text, '+')) {
    ++n;
    const std::size_t colon = item.find(':');
    std::uint64_t t = 0;
    if (colon == std::string::npos || !parse_u64(item.substr(0, colon), t) || t > static_cast<std::uint64_t>(kMaxTimeUs))
      return "action " + std::to_string(n) + " (\"" + item + "\"): expected <time in µs>:<name>[:<args>]";
    Action a;
    a.time_us = static_cast<std::int64_t>(t);
    split_name_args(item.substr(colon + 1), a);
    if (std::string msg = normalise_action(info, a); !msg.empty()) return msg;
    if (a.time_us < prev)
      return "action " + std::to_string(n) + " (\"" + item + "\"): earlier than the action before it";
    prev = a.time_us;
    out.push_back(std::move(a));
  }
  return {};
}

bool parse_seconds_us(const std::string& t, std::int64_t& us) {
  std::uint64_t whole = 0, frac = 0;
  const std::size_t dot = t.find('.');
  const std::string w = t.substr(0, dot), f = dot == std::string::npos ? "" : t.substr(dot + 1);
  const bool ok = parse_u64(w, whole) && f.size() <= 6 && (f.empty() || parse_u64(f, frac)) &&
                  (dot == std::string::npos || !f.empty()) && whole <= 9007199254ull;
  if (!ok) return false;
  for (std::size_t i = f.size(); i < 6; ++i) frac *= 10;
  us = static_cast<std::int64_t>(whole * 1000000ull + frac);
  return true;
}

std::string parse_cli_action(const WidgetInfo& info, const std::string& text, Action& out) {
  const std::size_t colon = text.find(':');
  out = Action{};
  if (colon == std::string::npos || !parse_seconds_us(text.substr(0, colon), out.time_us))
    return "--action '" + text + "': expected <time in s>:<name>[:<args>], e.g. 1.5:" +
           (info.actions.empty() ? std::string("name") : std::string(info.actions.front().name));
  split_name_args(text.substr(colon + 1), out);
  return normalise_action(info, out);
}

}  // namespace scalebook::widgets
