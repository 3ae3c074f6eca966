// quorum — view: the cluster as a ring of nodes with the messages on the wire and, for the
// watched key, its home replicas and what each node holds; beside it the run's counts, below
// the stale reads and failed operations per second. Draw-only: the run is scenario.{h,cpp};
// the model src/sim/quorum.
//
// Ring: a node is surface-filled when up, faded with a cross when down; a home replica of the
// watched key has a thick ring, accent when it holds the newest acknowledged version of the
// key, warn when it holds an older one; a stand-in holding a hint for the key gets a dashed
// note below. Links are faint; a cut link is a dashed red line. A message on the wire is a
// dot from sender to receiver, offset to the right of its direction: writes and their acks
// accent, reads and replies muted, repairs and hints warn, red when its link was cut under it.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "widgets/chart.h"
#include "widgets/kit/kit.h"
#include "widgets/quorum/scenario.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

using kit::col;
using quorum::QuorumScenario;
namespace qs = sim::quorum;

class QuorumView final : public View {
 public:
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const QuorumScenario&>(scenario);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s;
    if (!sc.ok()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), sc.error().c_str());
      return;
    }
    const float x0 = f.x + pad, x1 = f.x + f.width - pad, y0 = f.y + pad, y1 = f.y + f.height - pad;
    const float ring_w = std::min(y1 - y0 + 20 * s, (x1 - x0) * 0.42f);
    draw_ring(dl, f, sc, ImVec2(x0, y0), ImVec2(x0 + ring_w, y1));
    const float rx = x0 + ring_w + pad;
    const float table_h = draw_counts(dl, f, sc, ImVec2(rx, y0), x1);
    const double now_s = static_cast<double>(sc.time_us()) * 1e-6, dur_s = static_cast<double>(sc.duration_us()) * 1e-6;
    const double axis_s = std::min(dur_s, std::max(20.0, (std::floor(now_s / 10.0) + 1.0) * 10.0));
    draw_chart(f, sc, dl, ImVec2(rx, y0 + table_h + pad), ImVec2(x1, y1), axis_s);
  }

 private:
  std::vector<ImVec2> centres_;

  void draw_ring(ImDrawList* dl, const Frame& f, const QuorumScenario& sc, ImVec2 mn, ImVec2 mx) {
    const qs::Cluster& c = sc.cluster();
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const std::uint32_t n = c.desc().nodes;
    const ImVec2 centre((mn.x + mx.x) * 0.5f, (mn.y + mx.y - 2 * line_h) * 0.5f);
    const float ring_r = std::max(10 * s, std::min(mx.x - mn.x, mx.y - mn.y - 2 * line_h) * 0.5f - 30 * s);
    const float node_r = std::clamp(ring_r * (n > 5 ? 0.2f : 0.26f), 9 * s, 22 * s);
    centres_ = kit::ring_points(centre, ring_r, n);
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = i + 1; j < n; ++j) {
        if (!c.network().connected(i, j) || !c.network().connected(j, i)) {
          const ImVec2 pts[2] = {centres_[i], centres_[j]};
          kit::dashed_polyline(dl, pts, 2, col(f.palette.bad, 0.75f), 5 * s, 1.5f * s);
        } else {
          dl->AddLine(centres_[i], centres_[j], col(f.palette.muted, 0.15f), 1.0f * s);
        }
      }
    const std::int64_t now = c.now_us();
    c.network().for_each_in_flight([&](const auto& e) {
      const ImVec2 at = kit::wire_point(centres_[e.from], centres_[e.node], e.sent_us, e.time_us, now, 3.5f * s);
      render::Rgb ink = f.palette.muted;
      float alpha = 0.85f;
      switch (e.msg.type) {
        case qs::MsgType::kWrite: ink = f.palette.accent; break;
        case qs::MsgType::kWriteAck: ink = f.palette.accent; alpha = 0.5f; break;
        case qs::MsgType::kRead: break;
        case qs::MsgType::kReadReply: alpha = 0.5f; break;
        default: ink = f.palette.warn; break;
      }
      if (!c.network().connected(e.from, e.node)) ink = f.palette.bad;
      dl->AddCircleFilled(at, 2.5f * s, col(ink, alpha), 10);
    });
    const auto home = c.home_replicas(quorum::kWatchedKey);
    const qs::Version latest = sc.watched_latest();
    char buf[64];
    for (std::uint32_t i = 0; i < n; ++i) {
      const ImVec2 p = centres_[i];
      const bool up = c.up(i);
      const bool is_home = std::find(home.begin(), home.end(), i) != home.end();
      const qs::Version v = c.stored(i, quorum::kWatchedKey);
      const bool newest = latest.exists() && v.at_least(latest);
      ImU32 ring = col(f.palette.muted, 0.6f);
      if (is_home) ring = col(!latest.exists() || newest ? f.palette.accent : f.palette.warn);
      const ImU32 fill = up ? col(f.palette.surface) : col(f.palette.surface, 0.5f);
      dl->AddCircleFilled(p, node_r, fill, 40);
      dl->AddCircle(p, node_r, up ? ring : col(f.palette.muted, 0.4f), 40, (is_home ? 3.0f : 1.5f) * s);
      std::snprintf(buf, sizeof buf, "n%u", i + 1);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      dl->AddText(ImVec2(p.x - ts.x / 2, p.y - ts.y / 2), col(up ? f.palette.text : f.palette.muted), buf);
      if (!up) {
        const float k = node_r * 0.55f;
        dl->AddLine(ImVec2(p.x - k, p.y - k), ImVec2(p.x + k, p.y + k), col(f.palette.bad, 0.8f), 2 * s);
        dl->AddLine(ImVec2(p.x - k, p.y + k), ImVec2(p.x + k, p.y - k), col(f.palette.bad, 0.8f), 2 * s);
      }
      bool holds_hint = false;
      for (const auto& [key, hv] : c.hints(i))
        if (key.second == quorum::kWatchedKey) holds_hint = true;
      const char* label = !is_home ? (holds_hint ? "hint for key 0" : nullptr)
                          : !v.exists()  ? "no copy"
                          : newest       ? "newest"
                                         : "behind";
      if (label) {
        const ImVec2 ls = ImGui::CalcTextSize(label);
        dl->AddText(ImVec2(p.x - ls.x / 2, p.y + node_r + 4 * s),
                    col(holds_hint && !is_home ? f.palette.warn : f.palette.muted), label);
      }
    }
    std::string caption = "Key 0 lives on ";
    for (std::size_t i = 0; i < home.size(); ++i)
      caption += (i == 0 ? "" : i + 1 == home.size() ? " and " : ", ") + ("n" + std::to_string(home[i] + 1));
    dl->AddText(ImVec2(mn.x, mx.y - 2 * line_h), col(f.palette.muted), caption.c_str());
    if (!sc.events().empty())
      dl->AddText(ImVec2(mn.x, mx.y - line_h), col(f.palette.muted), sc.events().back().c_str());
  }

  // The counts, two columns per row; returns the height used.
  float draw_counts(ImDrawList* dl, const Frame& f, const QuorumScenario& sc, ImVec2 mn, float x1) {
    const qs::Cluster& c = sc.cluster();
    const qs::ClusterStats& st = c.stats();
    const qs::ClusterDesc& d = c.desc();
    const float line_h = ImGui::GetTextLineHeight(), row_h = line_h * 1.25f;
    char buf[128];
    std::snprintf(buf, sizeof buf, "N = %u, R = %u, W = %u: R + W %s N", d.n, d.r, d.w, d.r + d.w > d.n ? ">" : "<=");
    dl->AddText(mn, col(d.r + d.w > d.n ? f.palette.text : f.palette.warn), buf);
    const auto ms = [](std::int64_t us) { return us < 0 ? 0.0 : static_cast<double>(us) / 1000.0; };
    const std::string w_line = "Writes " + kit::thousands(st.writes.issued) + ": " + kit::thousands(st.writes.ok) +
                               " acked, " + kit::thousands(st.writes.failed()) + " failed";
    const std::string r_line = "Reads " + kit::thousands(st.reads.issued) + ": " + kit::thousands(st.reads.ok) +
                               " answered, " + kit::thousands(st.reads.failed()) + " failed";
    const std::string s_line = "Stale reads " + kit::thousands(st.stale_reads);
    const double w50 = ms(sc.write_p50_us()), w99 = ms(sc.write_p99_us()), r50 = ms(sc.read_p50_us()),
                 r99 = ms(sc.read_p99_us());
    std::snprintf(buf, sizeof buf, "p50 / p99: writes %.1f / %.1f ms, reads %.1f / %.1f ms", w50, w99, r50, r99);
    if (ImGui::CalcTextSize(buf).x > x1 - mn.x)  // narrow canvas: the short form
      std::snprintf(buf, sizeof buf, "p50/p99 ms: W %.1f/%.1f, R %.1f/%.1f", w50, w99, r50, r99);
    const std::string h_line = d.hinted_handoff ? "Hints: " + kit::thousands(st.hints_stored) + " stored, " +
                                                      kit::thousands(st.hints_delivered) + " handed on, " +
                                                      kit::thousands(c.hint_count()) + " waiting"
                                                : "Repairs written back: " + kit::thousands(st.repair_writes);
    float y = mn.y + row_h;
    const float clip = x1;
    for (const std::string* l : {&w_line, &r_line, &s_line}) {
      const ImU32 ink = l == &s_line && st.stale_reads > 0 ? col(f.palette.warn) : col(f.palette.text);
      dl->AddText(nullptr, 0, ImVec2(mn.x, y), ink, l->c_str(), nullptr, clip - mn.x);
      y += row_h;
    }
    dl->AddText(ImVec2(mn.x, y), col(f.palette.muted), buf);
    y += row_h;
    dl->AddText(ImVec2(mn.x, y), col(f.palette.muted), h_line.c_str());
    return y + row_h - mn.y;
  }

  void draw_chart(const Frame& f, const QuorumScenario& sc, ImDrawList* dl, ImVec2 mn, ImVec2 mx, double axis_s) {
    if (mx.y - mn.y < 30 * f.scale) return;
    const chart::Style st = chart::theme_style(f.palette, f.scale);
    std::vector<chart::Series> series = {
        {.samples = &sc.stale_per_s(), .colour = col(f.palette.warn), .thickness = 2},
        {.samples = &sc.failed_per_s(), .colour = col(f.palette.bad), .thickness = 2},
    };
    chart::Chart c;
    c.min = mn;
    c.max = mx;
    c.title = ImGui::CalcTextSize("Per second: stale reads (amber), failed operations (red)").x < mx.x - mn.x
                  ? "Per second: stale reads (amber), failed operations (red)"
                  : "Stale reads (amber), failures (red) /s";
    c.period_s = static_cast<double>(quorum::kSampleUs) * 1e-6;
    c.x_max_s = axis_s;
    c.now_s = static_cast<double>(sc.time_us()) * 1e-6;
    c.y_min_span = 5;
    if (sc.first_stale_us() >= 0) {
      c.marker_s = static_cast<double>(sc.first_stale_us()) * 1e-6;
      c.marker_colour = col(f.palette.warn);
    }
    chart::draw_chart(dl, st, c, series);
  }
};

}  // namespace

std::unique_ptr<View> make_quorum_view() { return std::make_unique<QuorumView>(); }

}  // namespace scalebook::widgets
