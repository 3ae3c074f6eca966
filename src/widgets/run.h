// run.h — one widget run: a Scenario, its parameters and seed, and the reader's actions.
//
// The run's identity is (widget, params, seed, actions): replaying the action log on a
// fresh scenario from the same parameters and seed reproduces every moment, so a
// permalink, a seek backwards (the time scrubber) and `scalebook sim --action` all give
// the same digest as the live run.
//
//   configure(params, seed, actions)  configure once: the model is built lazily, on the
//                                     first advance/act/read, so a page that sets params,
//                                     seed, actions and a time in several calls builds
//                                     it once (builds() counts, for the test hook)
//   advance(dt)                       applies logged actions when time reaches them
//   act(name, args)                   at now: checked (schema, then the scenario), then
//                                     recorded; a new action drops logged actions later
//                                     than now (the reader took another branch)
//   seek(t)                           forward: advances; backwards: rebuilds and replays
//                                     the log from 0 to t (no checkpoints yet: every
//                                     widget replays its longest run in well under a
//                                     second natively; see docs/performance.md)
//   digest()                          FNV-1a (sim/core/digest.h) over the widget, params,
//                                     seed, the actions applied so far, the time and the
//                                     scenario's state_json()
// UI-free; unit-tested natively (tests/unit/run_test.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "widgets/actions.h"
#include "widgets/catalog.h"
#include "widgets/params.h"
#include "widgets/scenario.h"

namespace scalebook::widgets {

class Run {
 public:
  Run(const WidgetInfo& info, std::unique_ptr<Scenario> scenario);

  void configure(ParamMap params, std::uint64_t seed, std::vector<Action> actions = {});
  void set_params(ParamMap params);  // same seed and actions, time back to 0
  void set_seed(std::uint64_t seed);  // same params and actions, time back to 0
  void reset();                        // time back to 0, the action log kept
  void advance(std::int64_t dt_us);
  std::string act(const std::string& name, std::vector<std::string> args);  // "" or a message
  void seek(std::int64_t time_us);

  const WidgetInfo& info() const { return *info_; }
  const Scenario& scenario() const;  // built if needed
  const ParamMap& params() const { return params_; }
  std::uint64_t seed() const { return seed_; }
  const std::vector<Action>& actions() const { return actions_; }
  std::int64_t time_us() const;
  std::uint64_t builds() const { return builds_; }
  std::string digest() const;
  // The first logged action the scenario refused when the run reached it (a log written by
  // hand can hold one: `--action 0.5:crash-leader` before there is a leader), as its index
  // in actions() and the scenario's message; -1 and "" when every action so far applied.
  std::ptrdiff_t refused_index() const { return refused_index_; }
  const std::string& refused() const { return refused_; }

 private:
  void ensure() const;                          // builds and replays to target_ when stale
  void advance_built(std::int64_t dt_us) const;  // applies due actions on the way

  const WidgetInfo* info_;
  std::unique_ptr<Scenario> scenario_;
  ParamMap params_;
  std::uint64_t seed_ = 1;
  std::vector<Action> actions_;
  // Lazily built state (mutable: reading a stale run builds it first).
  mutable bool stale_ = true;
  mutable std::int64_t target_ = 0;  // the time a rebuild replays to
  mutable std::size_t next_action_ = 0;
  mutable std::uint64_t builds_ = 0;
  mutable std::ptrdiff_t refused_index_ = -1;
  mutable std::string refused_;
};

}  // namespace scalebook::widgets
