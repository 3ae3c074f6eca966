// legacy_adapter.h — runs a widget still on the earlier shape (a LegacyView holding its
// model and its drawing, widgets/view.h) through the Scenario + View host path, so the
// host has one code path while the widgets move over. Goes away with the last LegacyView.
#pragma once
#include <memory>

#include "widgets/scenario.h"
#include "widgets/view.h"

namespace scalebook::platform {

class LegacyScenario final : public widgets::Scenario {
 public:
  explicit LegacyScenario(std::unique_ptr<widgets::LegacyView> v) : v_(std::move(v)) {}
  void configure(const widgets::ParamMap& p, std::uint64_t seed) override { v_->configure(p, seed); }
  void advance(std::int64_t dt_us) override { v_->advance(dt_us); }
  std::int64_t time_us() const override { return v_->sim_time_us(); }
  std::string summary() const override { return v_->summary(); }
  std::string state_json() const override { return v_->state_json(); }
  bool animating() const override { return v_->animating(); }
  double sim_us_per_s() const override { return v_->sim_us_per_s(); }
  widgets::LegacyView& legacy() const { return *v_; }

 private:
  std::unique_ptr<widgets::LegacyView> v_;
};

class LegacyDrawView final : public widgets::View {
 public:
  explicit LegacyDrawView(const LegacyScenario& s) : s_(s) {}
  void draw(const widgets::Scenario&, const widgets::Frame& f) override { s_.legacy().draw(f); }
  void gl_init() override { s_.legacy().gl_init(); }
  void gl_release() override { s_.legacy().gl_release(); }

 private:
  const LegacyScenario& s_;
};

}  // namespace scalebook::platform
