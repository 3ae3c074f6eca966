// scenario.h — what a widget's model side implements: UI-free, built natively and in Wasm.
//
// A Scenario owns everything a widget knows about its run: the parameters turned into the
// model's Desc, the model and its timeline, advance(), the live-region summary, the state
// for the test hook and the digest, and the reader's actions. It never draws (no ImGui, no
// GL, no Emscripten: src/widgets/CMakeLists.txt compiles it natively too, and `scalebook
// sim`, the digest tests and the soak run it without a view). A View (view.h) draws a
// `const Scenario&`. A Run (run.h) drives one: configure once, advance, act, seek.
//
// Contract:
//   configure(params, seed)  params already passed the one parameter path (param_edit.h),
//                            so they are valid one by one and together; time becomes 0
//   advance(dt_us)           advance(a); advance(b) must equal advance(a + b): a permalink
//                            replays a run to its time in one call
//   act(action)              at time_us(); "" when applied, else a message and nothing
//                            changed. Same state + same action ⇒ same result (replay).
//   state_json()             deterministic: no wall-clock figures (it feeds the digest)
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "widgets/actions.h"
#include "widgets/params.h"

namespace scalebook::widgets {

class Scenario {
 public:
  virtual ~Scenario() = default;
  virtual void configure(const ParamMap& params, std::uint64_t seed) = 0;
  virtual void advance(std::int64_t dt_us) = 0;
  virtual std::int64_t time_us() const = 0;
  // One or two sentences for the live region: what is happening now, in numbers.
  virtual std::string summary() const = 0;
  // The model's state as a JSON object (test hook and permalink digest).
  virtual std::string state_json() const = 0;
  // False when nothing would change without input (then the page renders no frames).
  virtual bool animating() const { return true; }
  // Simulated microseconds per real second at speed 1.
  virtual double sim_us_per_s() const { return 1e6; }
  virtual std::string act(const Action& a) { return "action '" + a.name + "': this widget takes no actions"; }
};

// Each widget's factory is named in its catalog entry (WidgetInfo::make_scenario, set in
// info.cpp). The scenario for a catalog name, or nullptr (unknown name).
std::unique_ptr<Scenario> make_scenario(const std::string& name);

}  // namespace scalebook::widgets
