// sharding — the hash ring with nodes, virtual nodes and keys; per-node load
// bars; the keys that move on add/remove/re-weight fly from their old node to
// their new one (particles); optionally a second strategy side by side on the
// same keys and the same operation. Initialization / Update / Draw / De-initialization.
//
// Timeline (simulated seconds): 0–2 s the cluster as configured; at 2 s the
// operation (add-node when `operation` is none, so there is always something
// to watch); 2–3.5 s moved keys travel; afterwards the new placement holds.
// Everything drawn is a function of the time, so advance(a); advance(b) equals
// advance(a + b).
#include <GLES3/gl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "render/particles.h"
#include "sim/core/rng.h"
#include "sim/sharding/hash.h"
#include "sim/sharding/metrics.h"
#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

namespace sh = sim::sharding;

constexpr double kOperationAtS = 2.0;
constexpr double kTravelS = 1.5;
constexpr std::size_t kMaxDrawnKeys = 1500;
constexpr float kPi = 3.14159265358979f;

// One strategy's run: placement before and after the operation, and its metrics.
struct Run {
  sh::Strategy strategy = sh::Strategy::Ring;
  std::vector<sh::Node> nodes_before{}, nodes_after{};
  std::vector<std::uint32_t> before{}, after{};  // node index per drawn key (in the before/after node lists)
  std::vector<float> angle{};                     // key position on the hash circle, radians
  std::vector<std::pair<float, std::uint32_t>> ticks_before{}, ticks_after{};  // vnode angle, node
  sh::LoadStats load_before{}, load_after{};
  sh::MoveStats moves{};
  std::string changed_node{};
};

float circle_angle(double unit) { return static_cast<float>(unit * 2.0 * kPi - kPi / 2); }  // 0 at 12 o'clock

std::vector<std::pair<float, std::uint32_t>> ticks_of(const sh::Sharder& s) {
  std::vector<std::pair<float, std::uint32_t>> out;
  if (s.strategy() == sh::Strategy::Ketama) {
    for (const auto& p : s.ketama().points()) out.emplace_back(circle_angle(p.value * 0x1.0p-32), p.server);
  } else if (s.strategy() == sh::Strategy::Ring || s.strategy() == sh::Strategy::Bounded) {
    for (const auto& p : s.ring().points()) out.emplace_back(circle_angle(static_cast<double>(p.position) * 0x1.0p-64), p.node);
  }
  if (out.size() > 4000) {  // keep the drawing cheap: every k-th point
    std::vector<std::pair<float, std::uint32_t>> thin;
    const std::size_t k = out.size() / 4000 + 1;
    for (std::size_t i = 0; i < out.size(); i += k) thin.push_back(out[i]);
    out.swap(thin);
  }
  return out;
}

Run make_run(sh::Strategy strategy, const sh::ShardingDesc& base, const sh::OperationDesc& op, const sh::Workload& w,
             std::size_t drawn) {
  Run r;
  r.strategy = strategy;
  sh::ShardingDesc desc = base;
  desc.strategy = strategy;
  sh::Sharder s(desc, w.keys);
  r.nodes_before = s.nodes();
  r.load_before = sh::load_stats(s, w);
  r.ticks_before = ticks_of(s);
  const auto names_before = sh::assignment(s, w.keys);
  for (std::size_t i = 0; i < drawn; ++i) {
    r.before.push_back(s.node_for(w.keys[i]));
    const double unit = strategy == sh::Strategy::Ketama ? sh::ketama_key_hash(w.keys[i]) * 0x1.0p-32
                                                         : static_cast<double>(sh::hash64(w.keys[i])) * 0x1.0p-64;
    r.angle.push_back(circle_angle(unit));
  }
  if (op.op == sh::Operation::RemoveNode || op.op == sh::Operation::SetWeight) r.changed_node = s.nodes()[op.target].name();
  double ideal = 0;
  if (op.op == sh::Operation::SplitHotRange)
    s.split_hot_range(w.popularity);
  else
    ideal = sh::apply_operation(s, op, w);
  if (op.op == sh::Operation::AddNode) r.changed_node = s.nodes().back().name();
  r.nodes_after = s.nodes();
  r.load_after = sh::load_stats(s, w);
  r.ticks_after = ticks_of(s);
  r.moves = sh::move_stats(names_before, sh::assignment(s, w.keys), ideal, op, r.changed_node);
  r.moves.before.clear();
  r.moves.after.clear();
  for (std::size_t i = 0; i < drawn; ++i) r.after.push_back(s.node_for(w.keys[i]));
  return r;
}

ImU32 node_color(std::size_t i, float alpha = 1.0f) {
  const float hue = std::fmod(0.61803398875f * static_cast<float>(i) + 0.58f, 1.0f);
  return ImColor::HSV(hue, 0.62f, 0.88f, alpha);
}

render::Rgb node_rgb(std::size_t i) {
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(node_color(i));
  return {c.x, c.y, c.z};
}

// A node keeps its colour across operations: the hue comes from its name.
std::size_t color_key(const sh::Node& node) { return static_cast<std::size_t>(sh::hash64(node.name()) % 1000); }

class ShardingView final : public WidgetView {
 public:
  // -- Initialization
  void configure(const ParamMap& p, std::uint64_t seed) override {
    time_us_ = 0;
    sh::ShardingDesc desc;
    std::string error;
    if (!get_text(p, "nodes").empty()) desc.nodes = sh::parse_node_list(get_text(p, "nodes"), error);
    if (desc.nodes.empty()) {
      const long long buckets = get_int(p, "buckets");
      desc.nodes = sh::generated_nodes(static_cast<std::size_t>(std::clamp<long long>(buckets > 0 ? buckets : get_int(p, "node_count"), 1, 1000)));
    }
    desc.vnodes = static_cast<std::uint32_t>(get_int(p, "vnodes"));
    desc.table_size = static_cast<std::uint32_t>(get_int(p, "table_size"));
    if (desc.table_size < desc.nodes.size()) desc.table_size = 65537;
    desc.epsilon = get_double(p, "epsilon");
    const sh::Strategy main = sh::parse_strategy(get_text(p, "strategy")).value_or(sh::Strategy::Ring);
    const auto other = sh::parse_strategy(get_text(p, "compare"));

    const std::size_t n = desc.nodes.size();
    sh::OperationDesc op;
    const std::string& opname = get_text(p, "operation");
    op.op = sh::Operation::AddNode;  // "none" still animates an add, the widget's story
    if (opname == "remove-node" && n >= 2) op.op = sh::Operation::RemoveNode;
    if (opname == "set-weight") op.op = sh::Operation::SetWeight;
    if (opname == "split-hot-range" && main == sh::Strategy::Range) op.op = sh::Operation::SplitHotRange;
    const long long target = get_int(p, "target");
    op.target = static_cast<std::uint32_t>(target < 0 || static_cast<std::size_t>(target) >= n ? n - 1 : target);
    op.new_weight = static_cast<std::uint32_t>(std::max<long long>(1, get_int(p, "weight")));

    workload_ = sh::make_workload({.keys = static_cast<std::uint64_t>(std::clamp<long long>(get_int(p, "keys"), 1, 200000)),
                                   .skew = get_double(p, "skew"),
                                   .hot_range = get_bool(p, "hot_range"),
                                   .seed = seed});
    const std::size_t drawn = std::min(kMaxDrawnKeys, workload_.keys.size());
    runs_.clear();
    runs_.push_back(make_run(main, desc, op, workload_, drawn));
    if (other && *other != main) {
      sh::OperationDesc op2 = op;
      if (op2.op == sh::Operation::SplitHotRange && *other != sh::Strategy::Range) op2.op = sh::Operation::AddNode;
      runs_.push_back(make_run(*other, desc, op2, workload_, drawn));
    }
    op_ = op;
    keys_.set_capacity(drawn * runs_.size() * 2 + 16);
    keys_.clear();
    emitted_ = false;
  }
  void gl_init() override { keys_.init(); }

  // -- Update
  void advance(std::int64_t dt_us) override { time_us_ += dt_us; }

  // -- Draw
  void draw(const Frame& f) override {
    const float pad = 10 * f.scale;
    const float panel_w = (f.width - pad * static_cast<float>(runs_.size() + 1)) / static_cast<float>(runs_.size());
    if (!emitted_ || panel_w != last_panel_w_ || f.height != last_height_) emit_particles(f, panel_w, pad);
    render::ParticleViewport vp{.x = f.x, .y = f.y, .width = f.width, .height = f.height, .fb_width = f.fb_width,
                                .fb_height = f.fb_height, .dpr = f.scale, .world_scale_x = 1, .world_scale_y = 1,
                                .palette = f.palette};
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    for (std::size_t r = 0; r < runs_.size(); ++r) draw_panel(dl, f, runs_[r], f.x + pad + (panel_w + pad) * r, panel_w, pad);
    keys_.draw(vp, clock_s());
  }

  // -- De-initialization
  void gl_release() override { keys_.release(); }

  std::int64_t sim_time_us() const override { return time_us_; }
  bool animating() const override { return clock_s() < kOperationAtS + kTravelS + 0.1; }

  std::string summary() const override {
    std::string s;
    for (std::size_t r = 0; r < runs_.size(); ++r) {
      const Run& run = runs_[r];
      const std::string name(sh::strategy_name(run.strategy)), op(sh::operation_name(op_.op));
      char buf[320];
      if (!applied())
        std::snprintf(buf, sizeof buf, "%s%s, %zu nodes: busiest node %.2f times the mean; next: %s %s.", r ? " " : "",
                      name.c_str(), run.nodes_before.size(), run.load_before.keys_max_over_mean, op.c_str(),
                      run.changed_node.c_str());
      else
        std::snprintf(buf, sizeof buf, "%s%s: %s %s moved %.1f%% of %llu keys (ideal %.1f%%); busiest node %.2f times the mean.",
                      r ? " " : "", name.c_str(), op.c_str(), run.changed_node.c_str(), 100.0 * run.moves.moved_fraction,
                      static_cast<unsigned long long>(run.moves.keys), 100.0 * run.moves.ideal_fraction,
                      run.load_after.keys_max_over_mean);
      s += buf;
    }
    return s;
  }
  std::string state_json() const override {
    std::string s = "{\"time_us\":" + std::to_string(time_us_) + ",\"applied\":" + (applied() ? "true" : "false") + ",\"runs\":[";
    for (std::size_t r = 0; r < runs_.size(); ++r) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "%s{\"strategy\":\"%s\",\"moved\":%llu,\"keys\":%llu,\"ideal_fraction\":%.6f}",
                    r ? "," : "", std::string(sh::strategy_name(runs_[r].strategy)).c_str(),
                    static_cast<unsigned long long>(runs_[r].moves.moved), static_cast<unsigned long long>(runs_[r].moves.keys),
                    runs_[r].moves.ideal_fraction);
      s += buf;
    }
    return s + "]}";
  }

 private:
  double clock_s() const { return static_cast<double>(time_us_) * 1e-6; }
  bool applied() const { return clock_s() >= kOperationAtS; }

  // Layout of one panel: the ring on top, the load bars (bins) below.
  struct Layout {
    float cx, cy, radius, bins_x, bins_y, bins_w, bins_h;
  };
  static Layout layout(float x, float y, float w, float h, float pad) {
    Layout l;
    l.radius = std::max(20.0f, std::min(w * 0.5f - pad, h * 0.55f * 0.5f - pad));
    l.cx = x + w * 0.5f;
    l.cy = y + pad * 2.5f + l.radius;
    l.bins_x = x;
    l.bins_w = w;
    l.bins_y = l.cy + l.radius + pad * 2.5f;
    l.bins_h = std::max(20.0f, y + h - l.bins_y - pad * 3.0f);
    return l;
  }

  // Where a key sits inside its node's bin (relative to the panel's widget area).
  static ImVec2 bin_slot(const Layout& l, std::size_t node, std::size_t nodes, std::size_t key) {
    const float bw = l.bins_w / static_cast<float>(nodes);
    const std::uint64_t h = sim::mix64(key * 0x9E3779B97F4A7C15ull + 7);
    const float u = static_cast<float>(h & 0xFFFF) / 65535.0f, v = static_cast<float>((h >> 16) & 0xFFFF) / 65535.0f;
    return ImVec2(l.bins_x + bw * (static_cast<float>(node) + 0.15f + 0.7f * u), l.bins_y + l.bins_h * (0.1f + 0.8f * v));
  }

  void emit_particles(const Frame& f, float panel_w, float pad) {
    keys_.clear();
    last_panel_w_ = panel_w;
    last_height_ = f.height;
    emitted_ = true;
    for (std::size_t r = 0; r < runs_.size(); ++r) {
      const Run& run = runs_[r];
      const Layout l = layout(pad + (panel_w + pad) * static_cast<float>(r), 0, panel_w, f.height, pad);
      for (std::size_t k = 0; k < run.before.size(); ++k) {
        const std::uint32_t to = run.after[k];
        const bool moved = run.nodes_before[run.before[k]].name() != run.nodes_after[to].name();
        const ImVec2 a = bin_slot(l, run.before[k], run.nodes_before.size(), k);
        const ImVec2 b = bin_slot(l, to, run.nodes_after.size(), k);
        render::Particle stay{.from_x = a.x, .from_y = a.y, .to_x = a.x, .to_y = a.y, .start_s = 0,
                              .duration_s = static_cast<float>(kOperationAtS), .size_px = 3.0f,
                              .ink = render::Ink::Custom, .color = node_rgb(color_key(run.nodes_before[run.before[k]])),
                              .alpha = 0.85f, .ease = false, .fade = false};
        keys_.emit(stay);
        render::Particle next = stay;
        next.to_x = b.x;
        next.to_y = b.y;
        next.start_s = kOperationAtS;
        next.duration_s = moved ? static_cast<float>(kTravelS) : 0.001f;
        next.bend = moved ? 0.25f : 0.0f;
        next.size_px = moved ? 4.0f : 3.0f;
        next.ease = true;
        next.hold = true;
        if (moved) next.ink = render::Ink::Warn;
        else next.color = node_rgb(color_key(run.nodes_after[to]));
        keys_.emit(next);
      }
    }
  }

  void draw_panel(ImDrawList* dl, const Frame& f, const Run& run, float x, float w, float pad) {
    const bool after = applied();
    const auto& nodes = after ? run.nodes_after : run.nodes_before;
    const auto& load = after ? run.load_after : run.load_before;
    const Layout l = layout(x, f.y, w, f.height, pad);
    const ImU32 text = ImGui::ColorConvertFloat4ToU32(ImVec4(f.palette.text.r, f.palette.text.g, f.palette.text.b, 1));
    const ImU32 muted = ImGui::ColorConvertFloat4ToU32(ImVec4(f.palette.muted.r, f.palette.muted.g, f.palette.muted.b, 1));
    // Title and live readouts.
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s — %zu nodes", std::string(sh::strategy_name(run.strategy)).c_str(), nodes.size());
    dl->AddText(ImVec2(x, f.y + pad * 0.3f), text, buf);
    // The ring: hash circle, vnode ticks (ring-family), keys at their hash angle coloured by node.
    dl->AddCircle(ImVec2(l.cx, l.cy), l.radius, muted, 96, 1.0f * f.scale);
    const auto& ticks = after ? run.ticks_after : run.ticks_before;
    for (const auto& [a, node] : ticks) {
      const float c = std::cos(a), s = std::sin(a);
      dl->AddLine(ImVec2(l.cx + c * l.radius, l.cy + s * l.radius), ImVec2(l.cx + c * (l.radius + 5 * f.scale), l.cy + s * (l.radius + 5 * f.scale)),
                  node_color(color_key(nodes[node])), 1.0f * f.scale);
    }
    for (std::size_t k = 0; k < run.angle.size(); ++k) {
      const std::uint32_t node = after ? run.after[k] : run.before[k];
      const float rr = l.radius * (0.80f + 0.12f * static_cast<float>(k % 7) / 6.0f);
      dl->AddCircleFilled(ImVec2(l.cx + std::cos(run.angle[k]) * rr, l.cy + std::sin(run.angle[k]) * rr), 1.6f * f.scale,
                          node_color(color_key(nodes[node]), 0.9f), 6);
    }
    std::snprintf(buf, sizeof buf, "moved %.1f%%\nideal %.1f%%", after ? 100.0 * run.moves.moved_fraction : 0.0,
                  100.0 * run.moves.ideal_fraction);
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    dl->AddText(ImVec2(l.cx - ts.x * 0.5f, l.cy - ts.y * 0.5f), text, buf);
    // Bins: a load bar (keys, per unit of weight) and a request-share bar per node.
    const float bw = l.bins_w / static_cast<float>(nodes.size());
    double max_keys = 1, max_req = 1e-9;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      max_keys = std::max(max_keys, static_cast<double>(load.keys[i]));
      max_req = std::max(max_req, load.request_share[i]);
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const float x0 = l.bins_x + bw * static_cast<float>(i);
      const float kh = static_cast<float>(load.keys[i] / max_keys) * l.bins_h;
      const float rh = static_cast<float>(load.request_share[i] / max_req) * l.bins_h;
      const ImU32 c = node_color(color_key(nodes[i]), 0.25f);
      dl->AddRectFilled(ImVec2(x0 + bw * 0.08f, l.bins_y + l.bins_h - kh), ImVec2(x0 + bw * 0.86f, l.bins_y + l.bins_h), c);
      dl->AddRectFilled(ImVec2(x0 + bw * 0.88f, l.bins_y + l.bins_h - rh), ImVec2(x0 + bw * 0.96f, l.bins_y + l.bins_h), muted);
    }
    std::snprintf(buf, sizeof buf, "keys max/mean %.2f  cv %.3f   requests max/mean %.2f   lookup %.1f steps",
                  load.keys_max_over_mean, load.keys_cv, load.requests_max_over_mean, load.mean_lookup_steps);
    dl->AddText(ImVec2(x, l.bins_y + l.bins_h + pad * 0.5f), muted, buf);
  }

  std::vector<Run> runs_;
  sh::Workload workload_;
  sh::OperationDesc op_;
  std::int64_t time_us_ = 0;
  render::ParticleSystem keys_{render::ParticleSystemDesc{.capacity = 1}};
  bool emitted_ = false;
  float last_panel_w_ = 0, last_height_ = 0;
};

}  // namespace

std::unique_ptr<WidgetView> make_sharding_view() { return std::make_unique<ShardingView>(); }

}  // namespace scalebook::widgets
