// sharding — view: the hash circle with each node's arcs (its virtual nodes) and the keys
// on it; per-node columns of keys (one dot ≈ K/drawn keys, so a column's height is the
// node's load); on add/remove/re-weight the keys that move fly from their old node's
// column to their new one (particles, eased, with a trail) while the keys that stay do
// not move; optionally a second strategy side by side on the same keys and operation.
// Draw-only: the run (the rebalance of each strategy, its sample, the column slots and
// departure times, the timeline, summary and state) is in scenario.{h,cpp}, the model in
// src/sim/sharding. Drawing pieces: view_draw.h, view_panel.cpp, view_ring.cpp.
//
// Column layout (column_slots, sim/sharding/rebalance.h): within a node's column the keys
// that will stay sit at the bottom and the keys that will leave on top (by destination),
// so leavers take the top of the column with them and stayers never move; arrivals stack
// on top of the stayers (by source). Before and after, a column's height is its key count.
//
// Drawing state only: the particles (one per key and leg, emitted once per run and frame
// geometry, then moved by the GPU on the scenario's clock). The "− node" / "+ node"
// buttons ask the host for a parameter change (Frame::requests; node_step.h).
#include <imgui.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "render/particles.h"
#include "widgets/sharding/scenario.h"
#include "widgets/sharding/view_draw.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

using sharding::kFlightS;
using sharding::Lane;
using sharding::ShardingScenario;
using namespace sharding::draw;

class ShardingView final : public View {
 public:
  void gl_init() override { keys_.init(); }
  void gl_release() override { keys_.release(); }

  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const ShardingScenario&>(scenario);
    if (!sc.error().empty()) {
      ImGui::GetBackgroundDrawList()->AddText(ImVec2(f.x + 10 * f.scale, f.y + 10 * f.scale), u32(f.palette.bad),
                                              sc.error().c_str());
      return;
    }
    const auto& lanes = sc.lanes();
    if (sc.generation() != generation_) {  // a new run: new particles
      generation_ = sc.generation();
      std::size_t capacity = 16;
      for (const Lane& lane : lanes) capacity += lane.run.from.size() + 2 * lane.slots.moved;
      keys_.set_capacity(capacity);
      keys_.clear();
      emitted_ = false;
    }
    const float pad = 10 * f.scale;
    const float panel_w = (f.width - pad * static_cast<float>(lanes.size() + 1)) / static_cast<float>(lanes.size());
    std::vector<Layout> layouts;
    for (std::size_t r = 0; r < lanes.size(); ++r)
      layouts.push_back(layout(f, sc, lanes[r], f.x + pad + (panel_w + pad) * static_cast<float>(r), f.y, panel_w,
                               f.height, r + 1 == lanes.size() && f.requests && sc.node_step().available));
    if (!emitted_ || f.width != last_width_ || f.height != last_height_ || f.scale != last_scale_ || f.dark != last_dark_) {
      keys_.clear();
      for (std::size_t r = 0; r < lanes.size(); ++r) emit_particles(f, sc, lanes[r], layouts[r]);
      emitted_ = true;
      last_width_ = f.width;
      last_height_ = f.height;
      last_scale_ = f.scale;
      last_dark_ = f.dark;
    }
    render::ParticleViewport vp{.x = f.x, .y = f.y, .width = f.width, .height = f.height, .fb_width = f.fb_width,
                                .fb_height = f.fb_height, .dpr = f.scale, .world_scale_x = 1, .world_scale_y = 1,
                                .palette = f.palette};
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    if (lanes.size() > 1) {  // a hairline between the panels
      const float x = f.x + pad + panel_w + pad * 0.5f;
      dl->AddLine(ImVec2(x, f.y + pad), ImVec2(x, f.y + f.height - pad), u32(f.palette.muted, 0.35f), f.scale);
    }
    for (std::size_t r = 0; r < lanes.size(); ++r) {  // clipped to its panel: nothing spills into the other
      const Layout& l = layouts[r];
      dl->PushClipRect(ImVec2(l.x - pad * 0.4f, l.y), ImVec2(l.x + l.w + pad * 0.4f, l.y + l.h), true);
      draw_panel(dl, f, sc, lanes[r], l);
      dl->PopClipRect();
    }
    keys_.draw(vp, sc.clock_s());
    draw_node_buttons(f, sc, layouts.back());
  }

 private:
  // Each sampled key: a dot at home (held there for a stayer; until it leaves for a
  // mover), then for a mover its flight and a dot held where it lands.
  void emit_particles(const Frame& f, const ShardingScenario& sc, const Lane& lane, const Layout& l) {
    const auto& run = lane.run;
    const float size = l.dot_px / f.scale;  // CSS px
    auto rel = [&](ImVec2 p) { return ImVec2(p.x - f.x, p.y - f.y); };
    for (std::size_t k = 0; k < run.from.size(); ++k) {
      const ImVec2 a = rel(slot_pos(l, run.from[k], lane.slots.slot_from[k]));
      const bool hot = k < sc.hot_count();
      render::Particle stay{.from_x = a.x, .from_y = a.y, .to_x = a.x, .to_y = a.y, .start_s = 0, .duration_s = 0.001f,
                            .size_px = hot ? size * 1.6f : size, .ink = render::Ink::Custom,
                            .color = kit::node_colour(run.from[k], f.dark), .alpha = 1.0f, .ease = false, .fade = false, .hold = true};
      if (run.from[k] == run.to[k]) {
        keys_.emit(stay);
        continue;
      }
      const ImVec2 b = rel(slot_pos(l, run.to[k], lane.slots.slot_to[k]));
      stay.hold = false;
      stay.duration_s = lane.depart[k];  // at home until it leaves
      keys_.emit(stay);
      render::Particle fly = stay;
      fly.to_x = b.x;
      fly.to_y = b.y;
      fly.start_s = lane.depart[k];
      fly.duration_s = static_cast<float>(kFlightS);
      fly.bend = bend_for(a, b);
      fly.size_px = stay.size_px * 1.35f;
      fly.color = kit::node_colour(run.to[k], f.dark);
      fly.ease = true;
      keys_.emit(fly);
      render::Particle land = fly;
      land.from_x = b.x;
      land.from_y = b.y;
      land.start_s = lane.depart[k] + kFlightS;
      land.duration_s = 0.001f;
      land.bend = 0;
      land.size_px = stay.size_px;
      land.ease = false;
      land.hold = true;
      keys_.emit(land);
    }
  }

  // -- The node buttons: "− node" / "+ node" at the right of the (last) panel's first header
  // line, above the node columns. A click asks the host for node_count ± 1 (or buckets,
  // node_step.h); the host applies it after this frame as a parameter change, so the run
  // starts again with one node more or fewer. Disabled at the schema's limits; absent
  // with a node list. The DOM controls under the canvas stay the keyboard path.
  static void draw_node_buttons(const Frame& f, const ShardingScenario& sc, const Layout& l) {
    const sharding::NodeStep& step = sc.node_step();
    if (!f.requests || !step.available || l.buttons_w <= 0) return;
    const float s = f.scale;
    const char* remove = l.labels ? "\xE2\x88\x92" : kRemoveLabel;
    const char* add = l.labels ? "+" : kAddLabel;
    ImGui::SetNextWindowPos(ImVec2(l.x + l.w - l.buttons_w, l.header_y - 1 * s));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6 * s, 1 * s));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(4 * s, 0));
    ImGui::Begin("##sharding-nodes", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize |
                     ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoBringToFrontOnFocus);
    char tip[160] = "";  // shown after the style is restored (the tooltip is a window of its own)
    auto button = [&](const char* label, const char* key, bool enabled, const std::string& value, long long to) {
      ImGui::BeginDisabled(!enabled);
      if (ImGui::Button(label, ImVec2(button_w(s, label), 0)) && enabled) f.requests->set_param(step.key, value);
      ImGui::EndDisabled();
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      f.requests->note_control(key, a.x, a.y, b.x, b.y);
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        if (enabled)
          std::snprintf(tip, sizeof tip, "Start again with %lld node%s%s", to, to == 1 ? "" : "s",
                        sc.lanes().size() > 1 ? " (both strategies)" : "");
        else
          std::snprintf(tip, sizeof tip, "%lld node%s: the %s", step.nodes, step.nodes == 1 ? "" : "s",
                        to > step.nodes ? "maximum" : "minimum");
      }
    };
    button(remove, "sharding:remove-node", step.can_remove, step.remove_value, step.nodes - 1);
    ImGui::SameLine();
    if (l.labels == 1) {
      ImGui::AlignTextToFramePadding();
      ImGui::TextColored(ImVec4(f.palette.muted.r, f.palette.muted.g, f.palette.muted.b, 1), "nodes");
      ImGui::SameLine();
    }
    button(add, "sharding:add-node", step.can_add, step.add_value, step.nodes + 1);
    ImGui::End();
    ImGui::PopStyleVar(4);
    if (tip[0]) ImGui::SetTooltip("%s", tip);
  }

  render::ParticleSystem keys_{render::ParticleSystemDesc{.capacity = 1}};
  std::uint64_t generation_ = 0;  // of the run the particles were made for
  bool emitted_ = false;
  float last_width_ = 0, last_height_ = 0, last_scale_ = 0;
  bool last_dark_ = false;
};

}  // namespace

std::unique_ptr<View> make_sharding_view() { return std::make_unique<ShardingView>(); }

}  // namespace scalebook::widgets
