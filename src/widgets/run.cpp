#include "widgets/run.h"

#include <algorithm>

#include "sim/core/digest.h"

namespace scalebook::widgets {

std::unique_ptr<Scenario> make_scenario(const std::string& name) {
  const WidgetInfo* info = find_widget(name);
  return info && info->make_scenario ? info->make_scenario() : nullptr;
}

Run::Run(const WidgetInfo& info, std::unique_ptr<Scenario> scenario)
    : info_(&info), scenario_(std::move(scenario)), params_(default_params(info)) {}

void Run::configure(ParamMap params, std::uint64_t seed, std::vector<Action> actions) {
  params_ = std::move(params);
  seed_ = seed;
  actions_ = std::move(actions);
  reset();
}

void Run::set_params(ParamMap params) {
  params_ = std::move(params);
  reset();
}

void Run::set_seed(std::uint64_t seed) {
  seed_ = seed;
  reset();
}

void Run::reset() {
  stale_ = true;
  target_ = 0;
}

void Run::ensure() const {
  if (!stale_) return;
  stale_ = false;
  ++builds_;
  scenario_->configure(params_, seed_);
  next_action_ = 0;
  refused_index_ = -1;
  refused_.clear();
  advance_built(target_);
}

void Run::advance_built(std::int64_t dt_us) const {
  const std::int64_t end = scenario_->time_us() + std::max<std::int64_t>(dt_us, 0);
  while (next_action_ < actions_.size() && actions_[next_action_].time_us <= end) {
    const Action& a = actions_[next_action_];
    const std::int64_t now = scenario_->time_us();
    if (a.time_us > now) scenario_->advance(a.time_us - now);
    if (scenario_->time_us() < a.time_us) break;  // the run ended before the action's time
    // An action taken on the page was accepted then: same state, same result. One in a
    // log written by hand (a CLI --action, an edited link) may be refused: the run goes
    // on without it, and the first refusal is kept for the caller to report.
    if (std::string msg = scenario_->act(a); !msg.empty() && refused_index_ < 0) {
      refused_index_ = static_cast<std::ptrdiff_t>(next_action_);
      refused_ = std::move(msg);
    }
    ++next_action_;
  }
  const std::int64_t now = scenario_->time_us();
  if (end > now) scenario_->advance(end - now);
}

void Run::advance(std::int64_t dt_us) {
  ensure();
  advance_built(dt_us);
}

std::string Run::act(const std::string& name, std::vector<std::string> args) {
  ensure();
  Action a{scenario_->time_us(), name, std::move(args)};
  if (std::string msg = normalise_action(*info_, a); !msg.empty()) return msg;
  if (std::string msg = scenario_->act(a); !msg.empty()) return msg;
  actions_.erase(actions_.begin() + static_cast<std::ptrdiff_t>(next_action_), actions_.end());
  actions_.push_back(std::move(a));
  next_action_ = actions_.size();
  return {};
}

void Run::seek(std::int64_t time_us) {
  time_us = std::max<std::int64_t>(time_us, 0);
  if (!stale_ && time_us >= scenario_->time_us()) {
    advance_built(time_us - scenario_->time_us());
    return;
  }
  stale_ = true;
  target_ = time_us;
}

const Scenario& Run::scenario() const {
  ensure();
  return *scenario_;
}

std::int64_t Run::time_us() const {
  ensure();
  return scenario_->time_us();
}

std::string Run::digest() const {
  ensure();
  sim::TraceDigest d;
  auto field = [&d](const std::string& text) {
    d.add_bytes(text);
    d.add_byte(0xff);  // separator
  };
  field(std::string(info_->name));
  for (const auto& [k, v] : params_) field(k + "=" + v);
  field(std::to_string(seed_));
  // The actions applied so far (a log scrubbed back to before its last actions shows
  // the same thing as a run that never took them).
  if (next_action_ > 0)
    field("actions=" + format_actions({actions_.begin(), actions_.begin() + static_cast<std::ptrdiff_t>(next_action_)}));
  field(std::to_string(scenario_->time_us()));
  field(scenario_->state_json());
  return d.hex();
}

}  // namespace scalebook::widgets
