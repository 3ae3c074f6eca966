// sharding — the hash circle with each node's arcs (its virtual nodes) and the
// keys on it; per-node columns of keys (one dot ≈ K/drawn keys, so a column's
// height is the node's load); on add/remove/re-weight the keys that move fly
// from their old node's column to their new one (particles, eased, with a
// trail) while the keys that stay do not move; optionally a second strategy
// side by side on the same keys and the same operation.
// Initialization / Update / Draw / De-initialization.
//
// Timeline (simulated seconds = real seconds at speed 1): 0–2 s the cluster as
// configured; at 2 s the operation (add-node when `operation` is none, so there
// is always something to watch); movers leave over 0.25 s and each flies
// 0.7 s, so all have landed at 2.95 s; from 3.55 s the new placement holds and
// nothing animates (no frames are rendered). Everything drawn is a function of
// the time, so advance(a); advance(b) equals advance(a + b).
//
// Column layout: within a node's column the keys that will stay sit at the
// bottom and the keys that will leave on top (by destination), so leavers
// take the top of the column with them and stayers never move; arrivals stack
// on top of the stayers (by source). Before and after, a column's height is
// its key count.
#include <GLES3/gl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "render/particles.h"
#include "sim/sharding/hash.h"
#include "sim/sharding/metrics.h"
#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"
#include "widgets/sharding/node_step.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

namespace sh = sim::sharding;

constexpr double kOperationAtS = 2.0;  // the operation happens here
constexpr double kStaggerS = 0.25;     // movers leave one after another over this long
constexpr double kFlightS = 0.7;       // each mover's trip
constexpr double kLandedS = kOperationAtS + kStaggerS + kFlightS;
constexpr std::size_t kMaxDrawnKeys = 1200;
constexpr std::size_t kMaxRingKeys = 360;
constexpr std::size_t kHotKeys = 3;
constexpr std::size_t kMaxArcs = 4000;
constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr float kPi = 3.14159265358979f;

// A run of consecutive ring points owned by one node: keys hashing into (a0, a1] go to it.
struct Arc {
  float a0, a1;  // radians, a0 < a1 (0 at 12 o'clock, clockwise)
  std::uint32_t column;
};

// One strategy's run: placement before and after the operation, and its metrics.
struct Run {
  sh::Strategy strategy = sh::Strategy::Ring;
  std::vector<sh::Node> nodes_before{}, nodes_after{};
  std::vector<std::string> columns{};                  // node names: the nodes before, then any new ones
  std::vector<std::uint32_t> node_before{}, node_after{};  // per column: index in nodes_before/after, or kNone
  std::vector<std::uint32_t> from{}, to{};             // per drawn key: column before / after
  std::vector<std::uint32_t> slot_from{}, slot_to{};   // per drawn key: slot inside the column
  std::vector<float> depart{};                         // per drawn key: departure time (s), movers only
  std::vector<std::uint32_t> count_before{}, count_after{};  // drawn keys per column
  std::vector<float> angle{};                          // per drawn key: position on the hash circle
  std::vector<Arc> arcs_before{}, arcs_after{};        // ring family only
  sh::LoadStats load_before{}, load_after{};
  sh::MoveStats moves{};
  std::size_t drawn_moved = 0;
  std::string changed_node{};
  std::uint32_t changed_column = kNone;
  std::uint32_t max_count = 1;                         // tallest column, before or after
  std::size_t ketama_before = 0, ketama_after = 0;     // continuum points (ketama only)
};

float circle_angle(double unit) { return static_cast<float>(unit * 2.0 * kPi - kPi / 2); }  // 0 at 12 o'clock

// Arcs of a sorted circle of (unit position, column): point i owns (p[i-1], p[i]], the first owns the wrap.
template <class Points, class Unit, class Owner>
std::vector<Arc> arcs_of(const Points& pts, Unit unit, Owner owner) {
  std::vector<Arc> out;
  if (pts.empty() || pts.size() > 40 * kMaxArcs) return out;
  const float top = -kPi / 2;
  float start = top;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const float a = circle_angle(unit(pts[i]));
    const std::uint32_t c = owner(pts[i]);
    if (!out.empty() && out.back().column == c)
      out.back().a1 = a;
    else
      out.push_back({start, a, c});
    start = a;
  }
  // The wrap: from the last point round to the first belongs to the first point's owner.
  const std::uint32_t first = owner(pts.front());
  if (out.back().column == first)
    out.back().a1 = top + 2 * kPi;
  else
    out.push_back({start, top + 2 * kPi, first});
  if (out.size() > kMaxArcs) out.clear();  // a blur at this size: the circle is drawn plain
  return out;
}

std::vector<Arc> arcs_for(const sh::Sharder& s, const std::vector<std::uint32_t>& column_of_node) {
  if (s.strategy() == sh::Strategy::Ketama)
    return arcs_of(s.ketama().points(), [](const sh::KetamaPoint& p) { return p.value * 0x1.0p-32; },
                   [&](const sh::KetamaPoint& p) { return column_of_node[p.server]; });
  if (s.strategy() == sh::Strategy::Ring || s.strategy() == sh::Strategy::Bounded)
    return arcs_of(s.ring().points(), [](const sh::RingPoint& p) { return static_cast<double>(p.position) * 0x1.0p-64; },
                   [&](const sh::RingPoint& p) { return column_of_node[p.node]; });
  return {};
}

std::uint32_t find_column(const std::vector<std::string>& columns, const std::string& name) {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<std::uint32_t>(i);
  return kNone;
}

Run make_run(sh::Strategy strategy, const sh::ShardingDesc& base, const sh::OperationDesc& op, const sh::Workload& w,
             const std::vector<std::size_t>& drawn) {
  Run r;
  r.strategy = strategy;
  sh::ShardingDesc desc = base;
  desc.strategy = strategy;
  sh::Sharder s(desc, w.keys);
  r.nodes_before = s.nodes();
  for (const auto& n : r.nodes_before) r.columns.push_back(n.name());
  std::vector<std::uint32_t> col_of_before(r.nodes_before.size());
  std::iota(col_of_before.begin(), col_of_before.end(), 0u);
  r.load_before = sh::load_stats(s, w);
  r.arcs_before = arcs_for(s, col_of_before);
  r.ketama_before = s.ketama().points().size();
  const auto names_before = sh::assignment(s, w.keys);
  for (std::size_t k : drawn) {
    r.from.push_back(s.node_for(w.keys[k]));  // column index = node index before
    const double unit = strategy == sh::Strategy::Ketama ? sh::ketama_key_hash(w.keys[k]) * 0x1.0p-32
                                                         : static_cast<double>(sh::hash64(w.keys[k])) * 0x1.0p-64;
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
  std::vector<std::uint32_t> col_of_after(r.nodes_after.size());
  for (std::size_t i = 0; i < r.nodes_after.size(); ++i) {
    std::uint32_t c = find_column(r.columns, r.nodes_after[i].name());
    if (c == kNone) {
      c = static_cast<std::uint32_t>(r.columns.size());
      r.columns.push_back(r.nodes_after[i].name());
    }
    col_of_after[i] = c;
  }
  r.node_before.assign(r.columns.size(), kNone);
  r.node_after.assign(r.columns.size(), kNone);
  for (std::size_t i = 0; i < r.nodes_before.size(); ++i) r.node_before[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = 0; i < r.nodes_after.size(); ++i) r.node_after[col_of_after[i]] = static_cast<std::uint32_t>(i);
  r.changed_column = find_column(r.columns, r.changed_node);
  r.load_after = sh::load_stats(s, w);
  r.arcs_after = arcs_for(s, col_of_after);
  r.ketama_after = s.ketama().points().size();
  r.moves = sh::move_stats(names_before, sh::assignment(s, w.keys), ideal, op, r.changed_node);
  r.moves.before.clear();
  r.moves.after.clear();
  for (std::size_t k : drawn) r.to.push_back(col_of_after[s.node_for(w.keys[k])]);

  // Slots: stayers at the bottom of their column (same slot before and after),
  // leavers above them grouped by destination, arrivals above the stayers grouped by source.
  const std::size_t n = drawn.size(), cols = r.columns.size();
  r.slot_from.assign(n, 0);
  r.slot_to.assign(n, 0);
  r.depart.assign(n, 0.0f);
  r.count_before.assign(cols, 0);
  r.count_after.assign(cols, 0);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<std::uint32_t> stayers(cols, 0);
  for (std::size_t k = 0; k < n; ++k)
    if (r.from[k] == r.to[k]) r.slot_from[k] = r.slot_to[k] = stayers[r.from[k]]++;
  r.count_before = stayers;
  r.count_after = stayers;
  std::vector<std::size_t> movers;
  for (std::size_t k = 0; k < n; ++k)
    if (r.from[k] != r.to[k]) movers.push_back(k);
  r.drawn_moved = movers.size();
  std::stable_sort(movers.begin(), movers.end(), [&](std::size_t a, std::size_t b) { return r.to[a] < r.to[b]; });
  for (std::size_t k : movers) r.slot_from[k] = r.count_before[r.from[k]]++;
  std::stable_sort(movers.begin(), movers.end(), [&](std::size_t a, std::size_t b) { return r.from[a] < r.from[b]; });
  for (std::size_t k : movers) r.slot_to[k] = r.count_after[r.to[k]]++;
  // Departure: the top of each column leaves first; spread over the stagger window by slot height.
  for (std::size_t k : movers) {
    const std::uint32_t top = r.count_before[r.from[k]];
    const float rank = top > 1 ? static_cast<float>(top - 1 - r.slot_from[k]) / static_cast<float>(top - 1) : 0.0f;
    r.depart[k] = static_cast<float>(kOperationAtS + kStaggerS * std::min(1.0f, rank * 1.6f));
  }
  for (std::size_t c = 0; c < cols; ++c) r.max_count = std::max({r.max_count, r.count_before[c], r.count_after[c]});
  return r;
}

// Node colours: twelve distinct hues from Tableau 10/20 (no pale yellow or light grey,
// too faint on white), by column (so a node keeps its colour across the operation and
// across the two panels).
render::Rgb node_rgb(std::size_t column, bool dark) {
  static constexpr render::Rgb kBase[] = {
      {0.306f, 0.475f, 0.655f}, {0.949f, 0.557f, 0.169f}, {0.882f, 0.341f, 0.349f}, {0.463f, 0.718f, 0.698f},
      {0.349f, 0.631f, 0.310f}, {0.690f, 0.478f, 0.631f}, {1.000f, 0.616f, 0.655f}, {0.616f, 0.463f, 0.376f},
      {0.714f, 0.600f, 0.176f}, {0.286f, 0.596f, 0.580f}, {0.827f, 0.447f, 0.584f}, {0.475f, 0.439f, 0.431f}};
  constexpr std::size_t kCount = sizeof kBase / sizeof kBase[0];
  render::Rgb c = kBase[column % kCount];
  // Beyond twelve nodes: the same hues, alternately darker and lighter.
  const std::size_t round = column / kCount;
  float k = round == 0 ? 0.0f : (round % 2 ? -0.28f : 0.3f);
  if (dark) k += 0.12f;  // lift the darker hues off a dark background
  auto adj = [k](float v) { return k >= 0 ? v + (1 - v) * k : v * (1 + k); };
  return {adj(c.r), adj(c.g), adj(c.b)};
}

ImU32 u32(render::Rgb c, float alpha = 1.0f) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha)); }

// 12345 → "12,345".
std::string thousands(unsigned long long v) {
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string column_label(std::size_t c) { return "n" + std::to_string(c + 1); }

const char* strategy_blurb(sh::Strategy s) {
  switch (s) {
    case sh::Strategy::ModN: return "hash(key) mod N";
    case sh::Strategy::Ring: return "consistent-hash ring";
    case sh::Strategy::Ketama: return "libmemcached ketama";
    case sh::Strategy::Rendezvous: return "highest random weight";
    case sh::Strategy::Jump: return "jump consistent hash";
    case sh::Strategy::Maglev: return "Maglev lookup table";
    case sh::Strategy::Range: return "key ranges";
    case sh::Strategy::Directory: return "lookup directory";
    case sh::Strategy::Bounded: return "ring, bounded loads";
  }
  return "";
}

float smoothstep(float u) { return u * u * (3 - 2 * u); }

// The particle path of shaders/particles.vert (quadratic Bézier, smoothstep), for trails.
ImVec2 path_point(ImVec2 a, ImVec2 b, float bend, float u) {
  const float s = smoothstep(std::clamp(u, 0.0f, 1.0f));
  const ImVec2 chord(b.x - a.x, b.y - a.y);
  const ImVec2 c(0.5f * (a.x + b.x) + chord.y * bend, 0.5f * (a.y + b.y) - chord.x * bend);
  const float r = 1 - s;
  return ImVec2(r * r * a.x + 2 * r * s * c.x + s * s * b.x, r * r * a.y + 2 * r * s * c.y + s * s * b.y);
}

float bend_for(ImVec2 a, ImVec2 b) { return b.x >= a.x ? 0.22f : -0.22f; }  // always bow upwards

class ShardingView final : public LegacyView {
 public:
  // -- Initialization
  void configure(const ParamMap& p, std::uint64_t seed) override {
    time_us_ = 0;
    sh::ShardingDesc desc;
    std::string error;
    if (!get_text(p, "nodes").empty()) desc.nodes = sh::parse_node_list(get_text(p, "nodes"), error);
    if (desc.nodes.empty()) {
      const long long buckets = get_int(p, "buckets");
      desc.nodes = sh::generated_nodes(static_cast<std::size_t>(std::clamp<long long>(buckets > 0 ? buckets : get_int(p, "node_count"), 1, sharding::kMaxGeneratedNodes)));
    }
    desc.vnodes = static_cast<std::uint32_t>(get_int(p, "vnodes"));
    vnodes_ = desc.vnodes;
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
    equal_weights_ = std::all_of(desc.nodes.begin(), desc.nodes.end(), [](const sh::Node& x) { return x.weight == 1; }) &&
                     (op.op != sh::Operation::AddNode || op.new_weight == 1);

    skew_ = get_double(p, "skew");
    workload_ = sh::make_workload({.keys = static_cast<std::uint64_t>(std::clamp<long long>(get_int(p, "keys"), 1, 200000)),
                                   .skew = skew_,
                                   .hot_range = get_bool(p, "hot_range"),
                                   .seed = seed});
    // The drawn sample: the hottest keys (when popularity is skewed), then the first keys.
    const std::size_t total = workload_.keys.size(), drawn = std::min(kMaxDrawnKeys, total);
    std::vector<std::size_t> hot;
    if (skew_ > 0) {
      std::vector<std::size_t> order(total);
      std::iota(order.begin(), order.end(), std::size_t{0});
      const std::size_t h = std::min(kHotKeys, total);
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(h), order.end(), [&](std::size_t a, std::size_t b) {
        return workload_.popularity[a] != workload_.popularity[b] ? workload_.popularity[a] > workload_.popularity[b] : a < b;
      });
      hot.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(h));
    }
    drawn_ = hot;
    for (std::size_t i = 0; i < total && drawn_.size() < drawn; ++i)
      if (std::find(hot.begin(), hot.end(), i) == hot.end()) drawn_.push_back(i);
    hot_count_ = hot.size();

    runs_.clear();
    runs_.push_back(make_run(main, desc, op, workload_, drawn_));
    if (other && *other != main) {
      sh::OperationDesc op2 = op;
      if (op2.op == sh::Operation::SplitHotRange && *other != sh::Strategy::Range) op2.op = sh::Operation::AddNode;
      runs_.push_back(make_run(*other, desc, op2, workload_, drawn_));
    }
    op_ = op;
    const WidgetInfo* info = find_widget("sharding");
    step_ = info ? sharding::node_step(*info, p) : sharding::NodeStep{};
    std::size_t capacity = 16;
    for (const Run& r : runs_) capacity += drawn_.size() + 2 * r.drawn_moved;
    keys_.set_capacity(capacity);
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
    std::vector<Layout> layouts;
    for (std::size_t r = 0; r < runs_.size(); ++r)
      layouts.push_back(layout(f, runs_[r], f.x + pad + (panel_w + pad) * static_cast<float>(r), f.y, panel_w, f.height,
                               r + 1 == runs_.size() && f.requests && step_.available));
    if (!emitted_ || f.width != last_width_ || f.height != last_height_ || f.scale != last_scale_ || f.dark != last_dark_) {
      keys_.clear();
      for (std::size_t r = 0; r < runs_.size(); ++r) emit_particles(f, runs_[r], layouts[r]);
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
    if (runs_.size() > 1) {  // a hairline between the panels
      const float x = f.x + pad + panel_w + pad * 0.5f;
      dl->AddLine(ImVec2(x, f.y + pad), ImVec2(x, f.y + f.height - pad), u32(f.palette.muted, 0.35f), f.scale);
    }
    for (std::size_t r = 0; r < runs_.size(); ++r) {  // clipped to its panel: nothing spills into the other
      const Layout& l = layouts[r];
      dl->PushClipRect(ImVec2(l.x - pad * 0.4f, l.y), ImVec2(l.x + l.w + pad * 0.4f, l.y + l.h), true);
      draw_panel(dl, f, runs_[r], l);
      dl->PopClipRect();
    }
    keys_.draw(vp, clock_s());
    draw_node_buttons(f, layouts.back());
  }

  // -- De-initialization
  void gl_release() override { keys_.release(); }

  std::int64_t sim_time_us() const override { return time_us_; }
  // Until the keys land; the loader announces the final summary on the last frame.
  bool animating() const override { return clock_s() < kLandedS; }

  std::string summary() const override {
    std::string s;
    for (std::size_t r = 0; r < runs_.size(); ++r) {
      const Run& run = runs_[r];
      const std::string name(sh::strategy_name(run.strategy)), op(sh::operation_name(op_.op));
      char buf[400];
      const auto& load = applied() ? run.load_after : run.load_before;
      char hot[96] = "";
      if (skew_ > 0)
        std::snprintf(hot, sizeof hot, " Busiest node by requests %.2f times the mean.", load.requests_max_over_mean);
      if (!applied())
        std::snprintf(buf, sizeof buf, "%s%s, %zu nodes: busiest node holds %.2f times the mean.%s Next: %s %s.",
                      r ? " " : "", name.c_str(), run.nodes_before.size(), run.load_before.keys_max_over_mean, hot,
                      op.c_str(), run.changed_node.c_str());
      else
        std::snprintf(buf, sizeof buf,
                      "%s%s: %s %s moved %s of %s keys, %.1f%% (ideal %.1f%%); busiest node holds %.2f times the mean.%s",
                      r ? " " : "", name.c_str(), op.c_str(), run.changed_node.c_str(), thousands(run.moves.moved).c_str(),
                      thousands(run.moves.keys).c_str(), 100.0 * run.moves.moved_fraction, 100.0 * run.moves.ideal_fraction,
                      run.load_after.keys_max_over_mean, hot);
      s += buf;
    }
    return s;
  }
  std::string state_json() const override {
    const char* phase = !applied() ? "before" : clock_s() < kLandedS ? "moving" : "after";
    std::string s = "{\"time_us\":" + std::to_string(time_us_) + ",\"applied\":" + (applied() ? "true" : "false") +
                    ",\"phase\":\"" + phase + "\",\"operation\":\"" + std::string(sh::operation_name(op_.op)) +
                    "\",\"runs\":[";
    for (std::size_t r = 0; r < runs_.size(); ++r) {
      const Run& run = runs_[r];
      char buf[640];
      std::snprintf(buf, sizeof buf,
                    "%s{\"strategy\":\"%s\",\"nodes_before\":%zu,\"nodes_after\":%zu,\"moved\":%llu,\"keys\":%llu,"
                    "\"moved_fraction\":%.6f,\"ideal_fraction\":%.6f,\"drawn\":%zu,\"drawn_moved\":%zu,"
                    "\"keys_max_over_mean\":%.4f,\"keys_cv\":%.4f,\"requests_max_over_mean\":%.4f}",
                    r ? "," : "", std::string(sh::strategy_name(run.strategy)).c_str(), run.nodes_before.size(),
                    run.nodes_after.size(), static_cast<unsigned long long>(run.moves.moved),
                    static_cast<unsigned long long>(run.moves.keys), run.moves.moved_fraction, run.moves.ideal_fraction,
                    run.from.size(), run.drawn_moved, run.load_after.keys_max_over_mean, run.load_after.keys_cv,
                    run.load_after.requests_max_over_mean);
      s += buf;
    }
    s += "],\"node_buttons\":";
    if (!step_.available) return s + "null}";
    return s + "{\"param\":\"" + step_.key + "\",\"can_add\":" + (step_.can_add ? "true" : "false") +
           ",\"can_remove\":" + (step_.can_remove ? "true" : "false") + "}}";
  }

 private:
  double clock_s() const { return static_cast<double>(time_us_) * 1e-6; }
  bool applied() const { return clock_s() >= kOperationAtS; }

  // Layout of one panel (framebuffer px): header lines, the hash circle on the
  // left (if there is room), the node columns on the right, a footer.
  struct Layout {
    float x, y, w, h, line;
    float header_y, footer_y;
    bool ring;
    float cx, cy, radius;
    float bins_x, bins_w, col_w, gap, pitch, dot_px;
    std::uint32_t per_row;
    float dots_top, dots_bottom, labels_y;
    bool requests;
    float buttons_w;   // the "− node" / "+ node" buttons at the header's right (0: none in this panel)
    int labels;        // 0: "− node" "+ node"; narrower panels 1: "− nodes +"; 2: "− +"
    float req_top, req_bottom;
  };

  Layout layout(const Frame& f, const Run& run, float x, float y, float w, float h, bool buttons) const {
    Layout l{};
    const float s = f.scale;
    l.x = x;
    l.y = y;
    l.w = w;
    l.h = h;
    l.line = ImGui::GetTextLineHeight();
    l.header_y = y + 6 * s;
    if (buttons) {
      // The node buttons share the first header line with the strategy's name (never covering it).
      const float name_w = ImGui::CalcTextSize(std::string(sh::strategy_name(run.strategy)).c_str()).x;
      for (l.labels = 0; l.labels < 2; ++l.labels)
        if (name_w + 8 * s + node_buttons_width(s, l.labels) <= w) break;
      l.buttons_w = node_buttons_width(s, l.labels);
    }
    const float header_h = 3 * l.line + 12 * s;
    const float footer_h = (skew_ > 0 ? 2 : 1) * l.line + 8 * s;
    l.footer_y = y + h - footer_h + 2 * s;
    const float body_top = y + header_h, body_bottom = y + h - footer_h;
    const float body_h = std::max(40.0f, body_bottom - body_top);
    // The circle gets what the columns leave: each column wants ~32 CSS px for its count label.
    const float cols_w = 32 * s * static_cast<float>(run.columns.size());
    const float fit_r = (w - cols_w - 30 * s) * 0.5f;
    l.ring = body_h >= 90 * s && fit_r >= 45 * s;
    if (l.ring) {
      l.radius = std::max(24.0f * s, std::min({body_h * 0.5f - 8 * s, w * 0.19f, fit_r}));
      l.cx = x + l.radius + 8 * s;
      l.cy = body_top + body_h * 0.5f;
      l.bins_x = l.cx + l.radius + 22 * s;
    } else {
      l.bins_x = x;
    }
    l.bins_w = std::max(10.0f, x + w - l.bins_x);
    l.requests = skew_ > 0;
    const float req_h = l.requests ? 2 * l.line + 22 * s : 0;  // caption, share labels, bars
    l.dots_top = body_top + l.line + 4 * s;  // room for the count above the tallest column
    l.labels_y = body_bottom - l.line - req_h;
    l.dots_bottom = l.labels_y - 4 * s;
    l.req_top = l.labels_y + 2 * l.line + 4 * s;
    l.req_bottom = body_bottom - 2 * s;
    const float cols = static_cast<float>(run.columns.size());
    l.col_w = l.bins_w / cols;
    l.gap = std::max(2 * s, l.col_w * 0.22f);
    const float inner = std::max(1.0f, l.col_w - l.gap), dots_h = std::max(1.0f, l.dots_bottom - l.dots_top);
    // The largest dot pitch at which the tallest column fits.
    l.pitch = 1.0f * s;
    for (float p = 7.0f * s; p >= 1.0f * s; p -= 0.25f * s) {
      const auto per_row = static_cast<std::uint32_t>(std::max(1.0f, std::floor(inner / p)));
      const auto rows = static_cast<std::uint32_t>(std::floor(dots_h / p));
      if (per_row * rows >= run.max_count) {
        l.pitch = p;
        break;
      }
    }
    l.per_row = static_cast<std::uint32_t>(std::max(1.0f, std::floor(inner / l.pitch)));
    l.dot_px = std::max(1.0f, l.pitch * 0.78f);
    return l;
  }

  // -- The node buttons: "− node" / "+ node" at the right of the (last) panel's first header
  // line, above the node columns. A click asks the host for node_count ± 1 (or buckets,
  // node_step.h); the host applies it after this frame as a parameter change, so the run
  // starts again with one node more or fewer. Disabled at the schema's limits; absent
  // with a node list. The DOM controls under the canvas stay the keyboard path.
  static constexpr const char* kAddLabel = "+ node";
  static constexpr const char* kRemoveLabel = "\xE2\x88\x92 node";  // U+2212 minus
  static float button_w(float s, const char* label) {
    return std::max(ImGui::CalcTextSize(label).x + 12 * s, ImGui::GetTextLineHeight() + 8 * s);
  }
  // Narrower panels: "[−] nodes [+]" (the word between the buttons), then "[−] [+]".
  static float node_buttons_width(float s, int labels) {
    if (labels == 0) return button_w(s, kAddLabel) + button_w(s, kRemoveLabel) + 4 * s;
    const float bare = button_w(s, "+") + button_w(s, "\xE2\x88\x92") + 4 * s;
    return labels == 1 ? bare + ImGui::CalcTextSize("nodes").x + 4 * s : bare;
  }

  void draw_node_buttons(const Frame& f, const Layout& l) const {
    if (!f.requests || !step_.available || l.buttons_w <= 0) return;
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
      if (ImGui::Button(label, ImVec2(button_w(s, label), 0)) && enabled) f.requests->set_param(step_.key, value);
      ImGui::EndDisabled();
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      f.requests->note_control(key, a.x, a.y, b.x, b.y);
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        if (enabled)
          std::snprintf(tip, sizeof tip, "Start again with %lld node%s%s", to, to == 1 ? "" : "s",
                        runs_.size() > 1 ? " (both strategies)" : "");
        else
          std::snprintf(tip, sizeof tip, "%lld node%s: the %s", step_.nodes, step_.nodes == 1 ? "" : "s",
                        to > step_.nodes ? "maximum" : "minimum");
      }
    };
    button(remove, "sharding:remove-node", step_.can_remove, step_.remove_value, step_.nodes - 1);
    ImGui::SameLine();
    if (l.labels == 1) {
      ImGui::AlignTextToFramePadding();
      ImGui::TextColored(ImVec4(f.palette.muted.r, f.palette.muted.g, f.palette.muted.b, 1), "nodes");
      ImGui::SameLine();
    }
    button(add, "sharding:add-node", step_.can_add, step_.add_value, step_.nodes + 1);
    ImGui::End();
    ImGui::PopStyleVar(4);
    if (tip[0]) ImGui::SetTooltip("%s", tip);
  }

  static ImVec2 slot_pos(const Layout& l, std::uint32_t column, std::uint32_t slot) {
    const std::uint32_t row = slot / l.per_row, col = slot % l.per_row;
    const float inner = l.col_w - l.gap;
    const float x0 = l.bins_x + l.col_w * static_cast<float>(column) + l.gap * 0.5f +
                     (inner - l.pitch * static_cast<float>(l.per_row)) * 0.5f;
    return ImVec2(x0 + (static_cast<float>(col) + 0.5f) * l.pitch, l.dots_bottom - (static_cast<float>(row) + 0.5f) * l.pitch);
  }
  // Height (framebuffer px) of a stack of `count` dots.
  static float stack_h(const Layout& l, std::uint32_t count) {
    return l.pitch * static_cast<float>((count + l.per_row - 1) / l.per_row);
  }

  // Where drawn key k of a run is at time t (view coordinates).
  ImVec2 key_pos(const Run& run, const Layout& l, std::size_t k, double t) const {
    const ImVec2 a = slot_pos(l, run.from[k], run.slot_from[k]);
    if (run.from[k] == run.to[k]) return a;
    const ImVec2 b = slot_pos(l, run.to[k], run.slot_to[k]);
    const float u = static_cast<float>((t - run.depart[k]) / kFlightS);
    if (u <= 0) return a;
    if (u >= 1) return b;
    return path_point(a, b, bend_for(a, b), u);
  }

  void emit_particles(const Frame& f, const Run& run, const Layout& l) {
    const float size = l.dot_px / f.scale;  // CSS px
    auto rel = [&](ImVec2 p) { return ImVec2(p.x - f.x, p.y - f.y); };
    for (std::size_t k = 0; k < run.from.size(); ++k) {
      const ImVec2 a = rel(slot_pos(l, run.from[k], run.slot_from[k]));
      const bool hot = k < hot_count_;
      render::Particle stay{.from_x = a.x, .from_y = a.y, .to_x = a.x, .to_y = a.y, .start_s = 0, .duration_s = 0.001f,
                            .size_px = hot ? size * 1.6f : size, .ink = render::Ink::Custom,
                            .color = node_rgb(run.from[k], f.dark), .alpha = 1.0f, .ease = false, .fade = false, .hold = true};
      if (run.from[k] == run.to[k]) {
        keys_.emit(stay);
        continue;
      }
      const ImVec2 b = rel(slot_pos(l, run.to[k], run.slot_to[k]));
      stay.hold = false;
      stay.duration_s = run.depart[k];  // at home until it leaves
      keys_.emit(stay);
      render::Particle fly = stay;
      fly.to_x = b.x;
      fly.to_y = b.y;
      fly.start_s = run.depart[k];
      fly.duration_s = static_cast<float>(kFlightS);
      fly.bend = bend_for(a, b);
      fly.size_px = stay.size_px * 1.35f;
      fly.color = node_rgb(run.to[k], f.dark);
      fly.ease = true;
      keys_.emit(fly);
      render::Particle land = fly;
      land.from_x = b.x;
      land.from_y = b.y;
      land.start_s = run.depart[k] + kFlightS;
      land.duration_s = 0.001f;
      land.bend = 0;
      land.size_px = stay.size_px;
      land.ease = false;
      land.hold = true;
      keys_.emit(land);
    }
  }

  // Progress of the drawn keys at time t: dots per column now (stayers, not yet
  // departed, landed), and how many movers have left.
  void column_counts(const Run& run, double t, std::vector<std::uint32_t>& now, std::size_t& departed) const {
    now.assign(run.columns.size(), 0);
    departed = 0;
    for (std::size_t k = 0; k < run.from.size(); ++k) {
      if (run.from[k] == run.to[k]) {
        ++now[run.from[k]];
      } else if (t < run.depart[k]) {
        ++now[run.from[k]];
      } else {
        ++departed;
        if (t >= run.depart[k] + kFlightS) ++now[run.to[k]];
      }
    }
  }

  std::string ideal_text(const Run& run) const {
    const std::size_t n = run.nodes_before.size();
    const unsigned long long k = run.moves.keys;
    const unsigned long long ideal = static_cast<unsigned long long>(std::llround(run.moves.ideal_fraction * static_cast<double>(k)));
    char buf[160];
    if (equal_weights_ && op_.op == sh::Operation::AddNode)
      std::snprintf(buf, sizeof buf, "ideal K/(N+1) = %s/%zu = %s", thousands(k).c_str(), n + 1, thousands(ideal).c_str());
    else if (equal_weights_ && op_.op == sh::Operation::RemoveNode)
      std::snprintf(buf, sizeof buf, "ideal K/N = %s/%zu = %s", thousands(k).c_str(), n, thousands(ideal).c_str());
    else
      std::snprintf(buf, sizeof buf, "ideal %s keys (%.1f%%)", thousands(ideal).c_str(), 100.0 * run.moves.ideal_fraction);
    return buf;
  }

  void draw_panel(ImDrawList* dl, const Frame& f, const Run& run, const Layout& l) {
    const float s = f.scale;
    const double t = clock_s();
    const bool after = applied();
    const ImU32 text = u32(f.palette.text), muted = u32(f.palette.muted);
    char buf[320];

    // -- Header: strategy, node count, the moved-keys readout and the ideal.
    const std::string name(sh::strategy_name(run.strategy));
    dl->AddText(ImVec2(l.x, l.header_y), text, name.c_str());
    const float name_w = ImGui::CalcTextSize(name.c_str()).x;
    std::snprintf(buf, sizeof buf, "  %s", strategy_blurb(run.strategy));
    if (run.strategy == sh::Strategy::Ring || run.strategy == sh::Strategy::Bounded)
      std::snprintf(buf, sizeof buf, "  %s, %u vnodes", strategy_blurb(run.strategy), vnodes_);
    const float title_w = name_w + ImGui::CalcTextSize(buf).x;
    // Left of the node buttons (if this panel has them), where "N → N+1 nodes" then goes
    // before the blurb: it is what the buttons change.
    const float right_w = l.buttons_w > 0 ? l.w - l.buttons_w - 8 * s : l.w;
    char nodes[64];
    std::snprintf(nodes, sizeof nodes, "%zu \xE2\x86\x92 %zu nodes", run.nodes_before.size(), run.nodes_after.size());
    const float nodes_w = ImGui::CalcTextSize(nodes).x;
    const bool show_nodes = l.buttons_w > 0 ? name_w + nodes_w + 12 * s <= right_w : title_w + nodes_w + 12 * s <= right_w;
    if (title_w + (show_nodes ? nodes_w + 12 * s : 0) <= right_w) dl->AddText(ImVec2(l.x + name_w, l.header_y), muted, buf);
    if (show_nodes) dl->AddText(ImVec2(l.x + right_w - nodes_w, l.header_y), muted, nodes);

    std::vector<std::uint32_t> now;
    std::size_t departed = 0;
    column_counts(run, t, now, departed);
    const float line2 = l.header_y + l.line + 2 * s, line3 = line2 + l.line;
    const std::string op(sh::operation_name(op_.op));
    const std::string changed = run.changed_column != kNone ? column_label(run.changed_column) : run.changed_node;
    if (!after) {
      const double in = kOperationAtS - t;
      if (op_.op == sh::Operation::AddNode)
        std::snprintf(buf, sizeof buf, "adding node %s in %.1f s", changed.c_str(), in);
      else if (op_.op == sh::Operation::RemoveNode)
        std::snprintf(buf, sizeof buf, "removing node %s in %.1f s", changed.c_str(), in);
      else
        std::snprintf(buf, sizeof buf, "%s %s in %.1f s", op.c_str(), changed.c_str(), in);
      dl->AddText(ImVec2(l.x, line2), text, buf);
    } else {
      // Counts up as the drawn movers leave; exact once they have all landed.
      const double frac = run.drawn_moved ? static_cast<double>(departed) / static_cast<double>(run.drawn_moved) : 1.0;
      const auto shown = t >= kLandedS ? run.moves.moved
                                       : static_cast<unsigned long long>(std::llround(frac * static_cast<double>(run.moves.moved)));
      const double ratio = run.moves.ideal_fraction > 0 ? run.moves.moved_fraction / run.moves.ideal_fraction : 1.0;
      const render::Rgb tone = ratio <= 1.5 ? f.palette.good : ratio <= 2.0 ? f.palette.warn : f.palette.bad;
      std::snprintf(buf, sizeof buf, t >= kLandedS ? "moved %s" : "moving %s", thousands(shown).c_str());
      dl->AddText(ImVec2(l.x, line2), u32(tone), buf);
      const float w1 = ImGui::CalcTextSize(buf).x;
      // The longest form that fits the panel (narrow screens drop the total, then the count).
      char rest[3][96];
      std::snprintf(rest[0], sizeof rest[0], t >= kLandedS ? " of %s keys (%.1f%%)" : " of %s keys\xE2\x80\xA6",
                    thousands(run.moves.keys).c_str(), 100.0 * run.moves.moved_fraction);
      std::snprintf(rest[1], sizeof rest[1], t >= kLandedS ? " (%.1f%%)" : "\xE2\x80\xA6", 100.0 * run.moves.moved_fraction);
      rest[2][0] = '\0';
      for (const char* r : {rest[0], rest[1], rest[2]})
        if (w1 + ImGui::CalcTextSize(r).x <= l.w || !*r) {
          dl->AddText(ImVec2(l.x + w1, line2), text, r);
          break;
        }
    }
    {
      std::string ideal = ideal_text(run);
      if (ImGui::CalcTextSize(ideal.c_str()).x > l.w) {
        std::snprintf(buf, sizeof buf, "ideal %.1f%%", 100.0 * run.moves.ideal_fraction);
        ideal = buf;
      }
      dl->AddText(ImVec2(l.x, line3), muted, ideal.c_str());
    }

    // -- The hash circle: each node's arcs (ring family), keys at their hash, coloured by owner.
    if (l.ring) draw_ring(dl, f, run, l, t);

    // -- Columns: dots are particles; here the baseline, counts, labels, mean line, trails.
    const auto& load_b = run.load_before;
    const auto& load_a = run.load_after;
    const float base_y = l.dots_bottom + 1.5f * s;
    dl->AddLine(ImVec2(l.bins_x, base_y), ImVec2(l.bins_x + l.bins_w, base_y), u32(f.palette.muted, 0.6f), s);
    // Mean line (under the count labels): keys per node on average, on the dots' scale.
    {
      const std::size_t nodes = after ? run.nodes_after.size() : run.nodes_before.size();
      const double mean = static_cast<double>(run.from.size()) / static_cast<double>(nodes);
      const float my = l.dots_bottom - l.pitch * static_cast<float>(mean / l.per_row);
      for (float x = l.bins_x; x < l.bins_x + l.bins_w; x += 8 * s)
        dl->AddLine(ImVec2(x, my), ImVec2(std::min(x + 4 * s, l.bins_x + l.bins_w), my), u32(f.palette.text, 0.45f), s);
    }
    const float max_label_w = l.col_w - 2 * s;
    for (std::size_t c = 0; c < run.columns.size(); ++c) {
      const float cx = l.bins_x + l.col_w * (static_cast<float>(c) + 0.5f);
      const std::uint32_t nb = run.node_before[c], na = run.node_after[c];
      const bool gone = after && na == kNone;
      const bool coming = !after && nb == kNone;
      // Keys held: the full count (not just the drawn sample), easing from before to after as movers land.
      const double kb = nb != kNone ? static_cast<double>(load_b.keys[nb]) : 0.0;
      const double ka = na != kNone ? static_cast<double>(load_a.keys[na]) : 0.0;
      double held = after ? ka : kb;
      if (after && t < kLandedS && run.count_after[c] != run.count_before[c]) {
        const double u = (static_cast<double>(now[c]) - run.count_before[c]) /
                         (static_cast<double>(run.count_after[c]) - run.count_before[c]);
        held = kb + (ka - kb) * std::clamp(u, 0.0, 1.0);
      }
      const float top = l.dots_bottom - stack_h(l, now[c]);
      const std::string count = thousands(static_cast<unsigned long long>(std::llround(held)));
      std::string shown = count;
      if (ImGui::CalcTextSize(shown.c_str()).x > max_label_w) {
        std::snprintf(buf, sizeof buf, "%.1fk", held / 1000.0);
        shown = buf;
      }
      if (ImGui::CalcTextSize(shown.c_str()).x <= max_label_w + l.gap && !(coming || gone)) {
        const ImVec2 ts = ImGui::CalcTextSize(shown.c_str());
        const ImVec2 at(cx - ts.x * 0.5f, top - ts.y - 2 * s);
        dl->AddRectFilled(ImVec2(at.x - 2 * s, at.y), ImVec2(at.x + ts.x + 2 * s, at.y + ts.y), u32(f.palette.background, 0.8f), 2 * s);
        dl->AddText(at, text, shown.c_str());
      }
      // Placeholder for the node about to join; the column of the node that left.
      const ImVec2 p0(l.bins_x + l.col_w * static_cast<float>(c) + l.gap * 0.5f, l.dots_top);
      const ImVec2 p1(p0.x + l.col_w - l.gap, l.dots_bottom);
      if (coming || (nb == kNone && t < kLandedS))
        dl->AddRect(p0, p1, u32(node_rgb(c, f.dark), 0.55f), 3 * s, 0, s);
      if (!after && static_cast<std::uint32_t>(c) == run.changed_column && op_.op == sh::Operation::RemoveNode)
        dl->AddRect(ImVec2(p0.x, top - 3 * s), ImVec2(p1.x, p1.y + 2 * s), u32(f.palette.bad, 0.8f), 3 * s, 0, 1.5f * s);
      // Label: a swatch and the node's name (n1, n2, …); struck through once it has left.
      std::string label = column_label(c);
      if (ImGui::CalcTextSize(label.c_str()).x + 10 * s > l.col_w) label = std::to_string(c + 1);
      const ImVec2 ls = ImGui::CalcTextSize(label.c_str());
      const bool swatch = ls.x + 10 * s <= l.col_w;
      const float lx = cx - (ls.x + (swatch ? 9 * s : 0)) * 0.5f;
      if (swatch)
        dl->AddRectFilled(ImVec2(lx, l.labels_y + l.line * 0.5f - 3.5f * s), ImVec2(lx + 7 * s, l.labels_y + l.line * 0.5f + 3.5f * s),
                          u32(node_rgb(c, f.dark)), 1.5f * s);
      const float tx = lx + (swatch ? 9 * s : 0);
      dl->AddText(ImVec2(tx, l.labels_y), gone ? muted : text, label.c_str());
      if (gone) dl->AddLine(ImVec2(tx - 1 * s, l.labels_y + l.line * 0.55f), ImVec2(tx + ls.x + 1 * s, l.labels_y + l.line * 0.55f), text, s);
      // Hover: the node's full name and load.
      if (ImGui::IsMouseHoveringRect(ImVec2(p0.x, l.dots_top), ImVec2(p1.x, l.labels_y + l.line), false)) {
        const auto& load = after ? load_a : load_b;
        const std::uint32_t ni = after ? na : nb;
        if (ni != kNone)
          ImGui::SetTooltip("%s %s\n%s keys (%.1f%%)\n%.1f%% of requests", column_label(c).c_str(), run.columns[c].c_str(),
                            thousands(load.keys[ni]).c_str(), 100.0 * static_cast<double>(load.keys[ni]) / static_cast<double>(run.moves.keys ? run.moves.keys : 1),
                            100.0 * load.request_share[ni]);
        else
          ImGui::SetTooltip("%s %s\n%s", column_label(c).c_str(), run.columns[c].c_str(), after ? "removed" : "not yet added");
      }
    }
    // Trails behind keys in flight (the particles are the heads).
    // At most ~160 trails: with mod-N nearly every key flies, and a trail each is a smear.
    if (after && t < kLandedS) {
      const std::size_t every = run.drawn_moved / 160 + 1;
      std::size_t mover = 0;
      for (std::size_t k = 0; k < run.from.size(); ++k) {
        if (run.from[k] == run.to[k]) continue;
        if (mover++ % every) continue;
        const double u = (t - run.depart[k]) / kFlightS;
        if (u <= 0 || u >= 1) continue;
        const ImVec2 a = slot_pos(l, run.from[k], run.slot_from[k]), b = slot_pos(l, run.to[k], run.slot_to[k]);
        const float bend = bend_for(a, b);
        const float u1 = static_cast<float>(u), u0 = std::max(0.0f, u1 - 0.16f);
        ImVec2 prev = path_point(a, b, bend, u0);
        for (int i = 1; i <= 4; ++i) {
          const ImVec2 p = path_point(a, b, bend, u0 + (u1 - u0) * static_cast<float>(i) / 4.0f);
          dl->AddLine(prev, p, u32(node_rgb(run.to[k], f.dark), 0.07f * static_cast<float>(i)), 1.0f * s);
          prev = p;
        }
      }
    }
    // Hot keys: a ring round the hottest drawn keys, the hottest labelled with its share.
    for (std::size_t k = 0; k < hot_count_ && k < run.from.size(); ++k) {
      const ImVec2 p = key_pos(run, l, k, t);
      dl->AddCircle(p, l.dot_px * 0.9f + 1.5f * s, u32(f.palette.bad), 12, 1.5f * s);
      if (k == 0 && !l.ring) {  // with the circle shown, the label goes inside it (draw_ring)
        std::snprintf(buf, sizeof buf, "hot key %.0f%%", 100.0 * workload_.popularity[drawn_[0]]);
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        float tx = p.x + l.dot_px + 4 * s;
        if (tx + ts.x > l.x + l.w) tx = p.x - l.dot_px - 4 * s - ts.x;
        const float ty = std::max(l.dots_top - l.line, p.y - l.line * 1.6f);
        dl->AddRectFilled(ImVec2(tx - 2 * s, ty), ImVec2(tx + ts.x + 2 * s, ty + ts.y), u32(f.palette.background, 0.85f), 2 * s);
        dl->AddText(ImVec2(tx, ty), u32(f.palette.bad), buf);
      }
    }
    // Requests per node (hot-key scenario): share of requests, bar against the busiest.
    if (l.requests) {
      const auto& load = after ? load_a : load_b;
      double max_share = 1e-12;
      for (double v : load.request_share) max_share = std::max(max_share, v);
      dl->AddText(ImVec2(l.bins_x, l.labels_y + l.line + 2 * s), muted, "share of requests");
      // Bars up to (height − a line), so every share label fits above its bar.
      const float rh = std::max(4 * s, l.req_bottom - l.req_top - l.line);
      for (std::size_t c = 0; c < run.columns.size(); ++c) {
        const std::uint32_t ni = after ? run.node_after[c] : run.node_before[c];
        if (ni == kNone) continue;
        const double share = load.request_share[ni];
        const float x0 = l.bins_x + l.col_w * static_cast<float>(c) + l.gap * 0.5f, x1 = x0 + l.col_w - l.gap;
        const float bh = static_cast<float>(share / max_share) * rh;
        dl->AddRectFilled(ImVec2(x0, l.req_bottom - bh), ImVec2(x1, l.req_bottom), u32(node_rgb(c, f.dark), 0.85f), 1.5f * s);
        std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * share);
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        if (ts.x <= x1 - x0 + l.gap)
          dl->AddText(ImVec2((x0 + x1 - ts.x) * 0.5f, l.req_bottom - bh - ts.y - 1 * s),
                      share >= max_share * 0.999 ? text : muted, buf);
      }
    }

    // -- Footer: balance metrics (after the operation: the new placement).
    const auto& load = after ? load_a : load_b;
    const double per_dot = static_cast<double>(run.moves.keys) / static_cast<double>(std::max<std::size_t>(1, run.from.size()));
    std::vector<std::string> parts;
    std::snprintf(buf, sizeof buf, "keys max/mean %.2f", load.keys_max_over_mean);
    parts.emplace_back(buf);
    std::snprintf(buf, sizeof buf, "CV %.3f", load.keys_cv);
    parts.emplace_back(buf);
    if (per_dot > 1.05) {
      std::snprintf(buf, sizeof buf, "1 dot \xE2\x89\x88 %.0f keys", per_dot);
      parts.emplace_back(buf);
    }
    std::snprintf(buf, sizeof buf, "lookup %.1f steps", load.mean_lookup_steps);
    parts.emplace_back(buf);
    std::vector<std::string> parts2;
    if (skew_ > 0) {
      std::snprintf(buf, sizeof buf, "requests max/mean %.2f", load.requests_max_over_mean);
      parts2.emplace_back(buf);
      std::snprintf(buf, sizeof buf, "CV %.3f", load.requests_cv);
      parts2.emplace_back(buf);
    }
    float fy = l.footer_y;
    auto flow = [&](const std::vector<std::string>& items, float y, ImU32 col) {
      float x = l.x;
      const std::string sep = "  \xC2\xB7  ";
      const float sep_w = ImGui::CalcTextSize(sep.c_str()).x;
      for (std::size_t i = 0; i < items.size(); ++i) {
        const float w = ImGui::CalcTextSize(items[i].c_str()).x;
        if (i && x + sep_w + w > l.x + l.w) break;  // what does not fit is dropped, never clipped mid-word
        if (i) {
          dl->AddText(ImVec2(x, y), muted, sep.c_str());
          x += sep_w;
        }
        dl->AddText(ImVec2(x, y), col, items[i].c_str());
        x += w;
      }
    };
    flow(parts, fy, text);
    if (!parts2.empty()) flow(parts2, fy + l.line, text);
  }

  void draw_ring(ImDrawList* dl, const Frame& f, const Run& run, const Layout& l, double t) {
    const float s = f.scale;
    const bool after = t >= kOperationAtS;
    const auto& arcs = after ? run.arcs_after : run.arcs_before;
    const ImVec2 c(l.cx, l.cy);
    const float band = l.radius, width = 5 * s;
    if (arcs.empty()) {
      dl->AddCircle(c, band, u32(f.palette.muted, 0.6f), 96, 1.5f * s);
    } else {
      // New arcs fade in while the keys fly.
      const float grow = static_cast<float>(std::clamp((t - kOperationAtS) / (kLandedS - kOperationAtS), 0.0, 1.0));
      for (const Arc& a : arcs) {
        const bool fresh = after && run.node_before[a.column] == kNone;
        const int segs = std::max(1, static_cast<int>((a.a1 - a.a0) / (2 * kPi) * 128));
        dl->PathArcTo(c, band, a.a0, a.a1, segs);
        dl->PathStroke(u32(node_rgb(a.column, f.dark), fresh ? 0.25f + 0.75f * grow : 1.0f), 0, width);
      }
    }
    // Keys (a sample) just inside the band, at their hash; moved keys turn to the new owner's colour when they leave.
    const std::size_t shown = std::min(kMaxRingKeys, run.from.size());
    for (std::size_t k = 0; k < shown; ++k) {
      const bool moved = run.from[k] != run.to[k];
      const bool left = moved && t >= run.depart[k];
      const bool flying = left && t < kLandedS;  // flagged while the keys fly, then plain again
      const float rr = band - width - (3 + 7 * static_cast<float>(k % 5) / 4.0f) * s;
      const ImVec2 p(l.cx + std::cos(run.angle[k]) * rr, l.cy + std::sin(run.angle[k]) * rr);
      const std::uint32_t col = left ? run.to[k] : run.from[k];
      dl->AddCircleFilled(p, (flying ? 2.2f : 1.6f) * s, u32(node_rgb(col, f.dark)), 8);
      if (flying) dl->AddCircle(p, 3.4f * s, u32(f.palette.text, 0.35f), 10, 0.8f * s);
    }
    // Hot keys: ringed; the hottest labelled inside the circle with a leader line.
    for (std::size_t k = 0; k < hot_count_ && k < shown; ++k) {
      const float rr = band - width - (3 + 7 * static_cast<float>(k % 5) / 4.0f) * s;  // as drawn above
      const ImVec2 p(l.cx + std::cos(run.angle[k]) * rr, l.cy + std::sin(run.angle[k]) * rr);
      dl->AddCircle(p, 4.5f * s, u32(f.palette.bad), 12, 1.5f * s);
      if (k) continue;
      // The label sits in the middle of the circle (instead of the circle's name), a leader line to the key.
      char pct[32];
      std::snprintf(pct, sizeof pct, "%.0f%% of requests", 100.0 * workload_.popularity[drawn_[0]]);
      const char* title = "hot key";
      if (ImGui::CalcTextSize(pct).x > (band - width - 12 * s) * 1.5f)  // small circle: the number only
        std::snprintf(pct, sizeof pct, "%.0f%%", 100.0 * workload_.popularity[drawn_[0]]);
      const ImVec2 t1 = ImGui::CalcTextSize(title), t2 = ImGui::CalcTextSize(pct);
      dl->AddText(ImVec2(l.cx - t1.x * 0.5f, l.cy - t1.y), u32(f.palette.bad), title);
      dl->AddText(ImVec2(l.cx - t2.x * 0.5f, l.cy), u32(f.palette.bad), pct);
      const float dx = std::cos(run.angle[k]), dy = std::sin(run.angle[k]);
      const float start = std::min(rr - 8 * s, std::max(t2.x * 0.5f, t1.y) + 6 * s);
      dl->AddLine(ImVec2(l.cx + dx * start, l.cy + dy * start), ImVec2(p.x - dx * 5 * s, p.y - dy * 5 * s),
                  u32(f.palette.bad, 0.8f), 1.2f * s);
    }
    if (hot_count_ > 0) return;
    // Centre: what the circle is. Keys sit at their hash for every strategy; only the
    // ring family owns arcs of it, the others scatter a node's keys all round.
    const std::size_t nodes = after ? run.nodes_after.size() : run.nodes_before.size();
    const char* what = "no ring:";
    char buf[64];
    switch (run.strategy) {
      case sh::Strategy::Ring:
      case sh::Strategy::Bounded:
        what = "hash ring";
        std::snprintf(buf, sizeof buf, "%zu \xC3\x97 %u points", nodes, vnodes_);
        break;
      case sh::Strategy::Ketama:
        what = "ketama ring";
        std::snprintf(buf, sizeof buf, "%zu points", after ? run.ketama_after : run.ketama_before);
        break;
      case sh::Strategy::ModN: std::snprintf(buf, sizeof buf, "hash mod %zu", nodes); break;
      case sh::Strategy::Jump: std::snprintf(buf, sizeof buf, "jump(key, %zu)", nodes); break;
      case sh::Strategy::Rendezvous: std::snprintf(buf, sizeof buf, "%s", "top score"); break;
      case sh::Strategy::Maglev: std::snprintf(buf, sizeof buf, "%s", "table lookup"); break;
      case sh::Strategy::Range: std::snprintf(buf, sizeof buf, "%s", "key ranges"); break;
      case sh::Strategy::Directory: std::snprintf(buf, sizeof buf, "%s", "directory"); break;
    }
    const ImVec2 a = ImGui::CalcTextSize(what), b = ImGui::CalcTextSize(buf);
    if (std::max(a.x, b.x) < band * 1.5f) {
      dl->AddText(ImVec2(l.cx - a.x * 0.5f, l.cy - a.y), u32(f.palette.muted), what);
      dl->AddText(ImVec2(l.cx - b.x * 0.5f, l.cy), u32(f.palette.muted), buf);
    }
  }

  std::vector<Run> runs_;
  sh::Workload workload_;
  std::vector<std::size_t> drawn_;  // workload indexes of the drawn keys (hot keys first)
  std::size_t hot_count_ = 0;
  double skew_ = 0;
  std::uint32_t vnodes_ = 160;
  bool equal_weights_ = true;
  sh::OperationDesc op_;
  sharding::NodeStep step_;  // what the node buttons do (node_step.h)
  std::int64_t time_us_ = 0;
  render::ParticleSystem keys_{render::ParticleSystemDesc{.capacity = 1}};
  bool emitted_ = false;
  float last_width_ = 0, last_height_ = 0, last_scale_ = 0;
  bool last_dark_ = false;
};

}  // namespace

std::unique_ptr<LegacyView> make_sharding_legacy_view() { return std::make_unique<ShardingView>(); }

}  // namespace scalebook::widgets
