// fanout — view (placeholder until the full view lands): runs the scenario and prints its numbers.
#include <imgui.h>

#include <cstdio>

#include "sim/fanout/scenario.h"
#include "widgets/fanout/config.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

namespace fo = scalebook::sim::fanout;
namespace cfg = fanout_config;

class FanoutView final : public WidgetView {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override {
    time_us_ = 0;
    sim_.reset();
    if (!cfg::cross_check(params).empty()) return;
    auto gd = cfg::graph_desc(params, seed);
    if (!fo::validate(gd).empty()) return;
    scenario_ = fo::build_scenario(gd, cfg::workload_desc(params, seed));
    sim_ = std::make_unique<fo::TimelineSim>(scenario_.graph, cfg::sim_desc(params), scenario_.workload.last_visit_us);
    next_event_ = 0;
  }
  void advance(std::int64_t dt_us) override {
    if (!sim_) return;
    time_us_ = std::min(time_us_ + dt_us, scenario_.duration_us);
    const auto& ev = scenario_.workload.events;
    for (; next_event_ < ev.size() && ev[next_event_].time_us <= time_us_; ++next_event_)
      ev[next_event_].kind == fo::EventKind::Post ? (void)sim_->post(ev[next_event_].user, ev[next_event_].time_us)
                                                   : (void)sim_->read(ev[next_event_].user, ev[next_event_].time_us);
    sim_->advance_to(time_us_);
  }
  void draw(const Frame& f) override {
    ImGui::GetBackgroundDrawList()->AddText(ImVec2(f.x + 10 * f.scale, f.y + 8 * f.scale),
                                            ImGui::GetColorU32(ImGuiCol_Text), summary().c_str());
  }
  std::int64_t sim_time_us() const override { return time_us_; }
  std::string summary() const override {
    if (!sim_) return "Invalid parameters.";
    const auto& m = sim_->metrics();
    char buf[256];
    std::snprintf(buf, sizeof buf, "%.1f s: %llu posts, %llu deliveries, backlog %llu inserts, %llu reads.",
                  static_cast<double>(time_us_) * 1e-6, static_cast<unsigned long long>(m.posts),
                  static_cast<unsigned long long>(m.deliveries),
                  static_cast<unsigned long long>(sim_->backlog_inserts(time_us_)),
                  static_cast<unsigned long long>(m.reads));
    return buf;
  }
  std::string state_json() const override {
    if (!sim_) return "{}";
    return "{\"time_us\":" + std::to_string(time_us_) + ",\"digest\":\"" + sim_->metrics().timeline_digest.hex() + "\"}";
  }
  bool animating() const override { return sim_ && time_us_ < scenario_.duration_us; }

 private:
  fo::Scenario scenario_;
  std::unique_ptr<fo::TimelineSim> sim_;
  std::size_t next_event_ = 0;
  std::int64_t time_us_ = 0;
};

}  // namespace

std::unique_ptr<WidgetView> make_fanout_view() { return std::make_unique<FanoutView>(); }

}  // namespace scalebook::widgets
