// raft — view: the cluster as a ring of nodes with the messages on the wire, each node's
// log, and below each node's role over time and the client's proposals.
// Draw-only: the run is scenario.{h,cpp}; the model src/sim/raft.
//
// Ring: a node's fill is its role (leader: accent; candidate: warn; pre-candidate: warn,
// lighter; follower: surface; down: faded with a cross), its label n1…nN, its term below,
// and around a follower or candidate an arc that fills as its election timer runs out
// (election_elapsed / randomized timeout, in ticks). Links are faint; a cut link is a
// dashed red line. A message on the wire is a dot travelling from sender to receiver,
// offset to the right of its direction so the two directions do not overlap: appends
// with entries large and accent, heartbeats accent, (pre-)votes warn, responses muted,
// and red when its link was cut under it (it will be dropped).
// Log: per node its last entries as squares coloured by term, solid up to its commit
// index, outlined beyond; all rows aligned on the same indexes.
// Timeline: per node a band of its role per 100 ms; chart: proposals made and committed.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "widgets/chart.h"
#include "widgets/kit/kit.h"
#include "widgets/raft/scenario.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

using kit::col;
using raft::Mark;
using raft::RaftScenario;
namespace rs = sim::raft;

constexpr float kPi = 3.14159265f;

render::Rgb mark_colour(Mark m, const render::Palette& p) {
  switch (m) {
    case Mark::Leader: return p.accent;
    case Mark::Candidate: return p.warn;
    case Mark::PreCandidate: return p.warn;
    case Mark::Follower: return p.muted;
    case Mark::Down: return p.bad;
  }
  return p.muted;
}

float mark_alpha(Mark m) {
  switch (m) {
    case Mark::Leader: return 0.9f;
    case Mark::Candidate: return 0.9f;
    case Mark::PreCandidate: return 0.45f;
    case Mark::Follower: return 0.22f;
    case Mark::Down: return 0.35f;
  }
  return 1;
}

Mark mark_of(const rs::Cluster& c, rs::NodeId n) {
  if (!c.up(n)) return Mark::Down;
  switch (c.node(n).state()) {
    case rs::StateType::Follower: return Mark::Follower;
    case rs::StateType::PreCandidate: return Mark::PreCandidate;
    case rs::StateType::Candidate: return Mark::Candidate;
    case rs::StateType::Leader: return Mark::Leader;
  }
  return Mark::Follower;
}

class RaftView final : public View {
 public:
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const RaftScenario&>(scenario);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s, line_h = ImGui::GetTextLineHeight();
    if (!sc.ok()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), sc.error().c_str());
      return;
    }
    const std::uint32_t n = sc.cluster().size();
    // Left: the ring, as wide as the area is tall (at most 42 %). Right, top to bottom: the
    // logs, the roles over time and the chart.
    const float x0 = f.x + pad, x1 = f.x + f.width - pad, y0 = f.y + pad, y1 = f.y + f.height - pad;
    const float ring_w = std::min(y1 - y0 + 20 * s, (x1 - x0) * 0.42f);
    draw_ring(dl, f, sc, ImVec2(x0, y0), ImVec2(x0 + ring_w, y1));
    const float rx = x0 + ring_w + pad, h = y1 - y0;
    const float logs_h = std::min(line_h * 1.4f + static_cast<float>(n) * line_h * 1.25f, h * 0.42f);
    const float tl_h = line_h * 1.2f + static_cast<float>(n) * std::clamp(h * 0.2f / static_cast<float>(n), 3 * s, 8 * s);
    draw_logs(dl, f, sc, ImVec2(rx, y0), ImVec2(x1, y0 + logs_h));
    // A time axis that grows with the run in 10 s steps (at least 20 s), so the first
    // seconds are not squeezed into the left edge of a long run.
    const double now_s = static_cast<double>(sc.time_us()) * 1e-6, dur_s = static_cast<double>(sc.duration_us()) * 1e-6;
    const double axis_s = std::min(dur_s, std::max(20.0, (std::floor(now_s / 10.0) + 1.0) * 10.0));
    draw_timeline(dl, f, sc, ImVec2(rx, y0 + logs_h + pad * 0.6f), ImVec2(x1, y0 + logs_h + pad * 0.6f + tl_h), axis_s);
    draw_chart(f, sc, dl, ImVec2(rx, y0 + logs_h + tl_h + pad * 1.4f), ImVec2(x1, y1), axis_s);
  }

 private:
  std::vector<ImVec2> centres_;

  void draw_ring(ImDrawList* dl, const Frame& f, const RaftScenario& sc, ImVec2 mn, ImVec2 mx) {
    const rs::Cluster& c = sc.cluster();
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const std::uint32_t n = c.size();
    const ImVec2 centre((mn.x + mx.x) * 0.5f, (mn.y + mx.y - line_h) * 0.5f);
    const float ring_r = std::max(10 * s, std::min(mx.x - mn.x, mx.y - mn.y - line_h) * 0.5f - 30 * s);
    const float node_r = std::clamp(ring_r * (n > 5 ? 0.22f : 0.28f), 9 * s, 24 * s);
    centres_ = kit::ring_points(centre, ring_r, n);
    // Links.
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = i + 1; j < n; ++j) {
        const bool cut = !c.network().connected(i, j) || !c.network().connected(j, i);
        if (cut) {
          const ImVec2 pts[2] = {centres_[i], centres_[j]};
          kit::dashed_polyline(dl, pts, 2, col(f.palette.bad, 0.75f), 5 * s, 1.5f * s);
        } else {
          dl->AddLine(centres_[i], centres_[j], col(f.palette.muted, 0.18f), 1.0f * s);
        }
      }
    // Messages on the wire.
    const std::int64_t now = c.now_us();
    c.network().for_each_in_flight([&](const auto& e) {
      const ImVec2 at = kit::wire_point(centres_[e.from], centres_[e.node], e.sent_us, e.time_us, now, 3.5f * s);
      const bool doomed = !c.network().connected(e.from, e.node);
      render::Rgb ink = f.palette.muted;
      float r = 2.5f * s, alpha = 0.9f;
      switch (e.msg.type) {
        case rs::MsgType::App:
          ink = f.palette.accent;
          r = e.msg.entries.empty() ? 2.5f * s : 4.0f * s;
          break;
        case rs::MsgType::Heartbeat: ink = f.palette.accent; break;
        case rs::MsgType::Vote:
        case rs::MsgType::PreVote:
          ink = f.palette.warn;
          r = 3.5f * s;
          break;
        case rs::MsgType::VoteResp:
        case rs::MsgType::PreVoteResp: ink = f.palette.warn; alpha = 0.6f; break;
        default: alpha = 0.7f; break;
      }
      if (doomed) ink = f.palette.bad;
      dl->AddCircleFilled(at, r, col(ink, alpha), 12);
    });
    // Nodes.
    char buf[64];
    for (std::uint32_t i = 0; i < n; ++i) {
      const ImVec2 p = centres_[i];
      const Mark m = mark_of(c, i);
      const rs::Node& node = c.node(i);
      ImU32 fill = col(f.palette.surface), ring = col(f.palette.muted, 0.8f);
      ImU32 text = col(f.palette.text);
      if (m == Mark::Leader) fill = col(f.palette.accent), ring = fill, text = col(f.palette.background);
      if (m == Mark::Candidate) fill = col(f.palette.warn), ring = fill, text = col(f.palette.background);
      if (m == Mark::PreCandidate) fill = col(f.palette.warn, 0.4f), ring = col(f.palette.warn);
      if (m == Mark::Down) fill = col(f.palette.surface, 0.5f), ring = col(f.palette.muted, 0.4f), text = col(f.palette.muted);
      dl->AddCircleFilled(p, node_r, fill, 40);
      dl->AddCircle(p, node_r, ring, 40, (m == Mark::Leader ? 2.5f : 1.5f) * s);
      // Election timer: fills as the node's randomized election timeout runs out.
      if (m == Mark::Follower || m == Mark::Candidate || m == Mark::PreCandidate) {
        const int timeout = std::max(1, node.randomized_election_timeout());
        const float frac = std::clamp(static_cast<float>(node.election_elapsed()) / static_cast<float>(timeout), 0.0f, 1.0f);
        if (frac > 0) {
          dl->PathArcTo(p, node_r + 4 * s, -kPi / 2, -kPi / 2 + 2 * kPi * frac, 32);
          dl->PathStroke(col(f.palette.warn, 0.85f), 0, 2.5f * s);
        }
      }
      std::snprintf(buf, sizeof buf, "n%u", i + 1);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      dl->AddText(ImVec2(p.x - ts.x / 2, p.y - ts.y / 2), text, buf);
      if (m == Mark::Down) {
        const float k = node_r * 0.55f;
        dl->AddLine(ImVec2(p.x - k, p.y - k), ImVec2(p.x + k, p.y + k), col(f.palette.bad, 0.8f), 2 * s);
        dl->AddLine(ImVec2(p.x - k, p.y + k), ImVec2(p.x + k, p.y - k), col(f.palette.bad, 0.8f), 2 * s);
      }
      std::snprintf(buf, sizeof buf, "term %llu", static_cast<unsigned long long>(node.term()));
      const ImVec2 ls = ImGui::CalcTextSize(buf);
      dl->AddText(ImVec2(p.x - ls.x / 2, p.y + node_r + 5 * s), col(f.palette.muted), buf);
    }
    // The latest action, under the ring.
    if (!sc.events().empty())
      dl->AddText(ImVec2(mn.x, mx.y - line_h), col(f.palette.muted), sc.events().back().c_str());
  }

  void draw_logs(ImDrawList* dl, const Frame& f, const RaftScenario& sc, ImVec2 mn, ImVec2 mx) {
    const rs::Cluster& c = sc.cluster();
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const std::uint32_t n = c.size();
    rs::Index last = 0;
    for (const auto& node : c.nodes()) last = std::max(last, node.log().last_index());
    dl->AddText(mn, col(f.palette.text), "Logs (entries by term; solid = committed)");
    const float label_w = ImGui::CalcTextSize("n7 pre-candidate ").x;
    const float rows_top = mn.y + line_h + 6 * s;
    const float row_h = std::min(line_h * 1.6f, (mx.y - rows_top) / static_cast<float>(n));
    const float box = std::clamp(row_h * 0.7f, 5 * s, 14 * s), gap = std::max(1.0f, box * 0.18f);
    const int fit = std::max(1, static_cast<int>((mx.x - mn.x - label_w) / (box + gap)));
    const rs::Index first = last > static_cast<rs::Index>(fit) ? last - static_cast<rs::Index>(fit) + 1 : 1;
    char buf[64];
    for (std::uint32_t i = 0; i < n; ++i) {
      const rs::Node& node = c.node(i);
      const float y = rows_top + row_h * static_cast<float>(i);
      const Mark m = mark_of(c, i);
      static const char* words[] = {"down", "follower", "pre-cand.", "candidate", "leader"};
      std::snprintf(buf, sizeof buf, "n%u %s", i + 1, words[static_cast<int>(m)]);
      dl->AddText(ImVec2(mn.x, y + (box - line_h) / 2), col(m == Mark::Down ? f.palette.muted : f.palette.text), buf);
      if (node.log().last_index() < first && node.log().last_index() > 0) {
        std::snprintf(buf, sizeof buf, "behind: its last entry is %llu",
                      static_cast<unsigned long long>(node.log().last_index()));
        dl->AddText(ImVec2(mn.x + label_w, y + (box - line_h) / 2), col(f.palette.muted), buf);
      }
      for (rs::Index k = first; k <= node.log().last_index(); ++k) {
        const float bx = mn.x + label_w + static_cast<float>(k - first) * (box + gap);
        const ImU32 ink = col(kit::series_colour(static_cast<std::size_t>(node.log().term(k) % 6), f.dark),
                              m == Mark::Down ? 0.45f : 1.0f);
        if (k <= node.log().committed())
          dl->AddRectFilled(ImVec2(bx, y), ImVec2(bx + box, y + box), ink, 1.5f * s);
        else
          dl->AddRect(ImVec2(bx, y), ImVec2(bx + box, y + box), ink, 1.5f * s, 0, 1.5f * s);
      }
    }
    std::snprintf(buf, sizeof buf, "index %llu", static_cast<unsigned long long>(last));
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    if (last > 0) dl->AddText(ImVec2(mx.x - ts.x, mn.y), col(f.palette.muted), buf);
  }

  void draw_timeline(ImDrawList* dl, const Frame& f, const RaftScenario& sc, ImVec2 mn, ImVec2 mx, double axis_s) {
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const auto& marks = sc.marks();
    const auto n = static_cast<float>(marks.size());
    const float label_w = ImGui::CalcTextSize("n7 ").x;
    const float w = mx.x - mn.x - label_w, row_h = (mx.y - mn.y - line_h) / std::max(1.0f, n);
    const double dur = axis_s * 1e6;
    dl->AddText(mn, col(f.palette.text), "Roles over time");
    // The legend, on the title's line.
    float lx = mn.x + ImGui::CalcTextSize("Roles over time").x + 12 * s;
    for (const Mark m : {Mark::Leader, Mark::Candidate, Mark::PreCandidate, Mark::Down}) {
      static const char* words[] = {"down", "follower", "pre-candidate", "candidate", "leader"};
      const char* w = words[static_cast<int>(m)];
      dl->AddRectFilled(ImVec2(lx, mn.y + line_h * 0.25f), ImVec2(lx + 10 * s, mn.y + line_h * 0.8f),
                        col(mark_colour(m, f.palette), mark_alpha(m)), 2 * s);
      dl->AddText(ImVec2(lx + 14 * s, mn.y), col(f.palette.muted), w);
      lx += 14 * s + ImGui::CalcTextSize(w).x + 10 * s;
    }
    const float top = mn.y + line_h;
    const auto x_of = [&](double us) { return mn.x + label_w + static_cast<float>(us / dur) * w; };
    char buf[16];
    for (std::size_t i = 0; i < marks.size(); ++i) {
      const float y = top + row_h * static_cast<float>(i);
      std::snprintf(buf, sizeof buf, "n%zu", i + 1);
      if (row_h >= line_h * 0.75f) dl->AddText(ImVec2(mn.x, y + (row_h - line_h) / 2), col(f.palette.muted), buf);
      dl->AddRectFilled(ImVec2(mn.x + label_w, y + 0.5f * s), ImVec2(mx.x, y + row_h - 0.5f * s), col(f.palette.muted, 0.06f));
      const auto& row = marks[i];
      for (std::size_t k = 0; k < row.size();) {
        std::size_t e = k + 1;
        while (e < row.size() && row[e] == row[k]) ++e;
        if (row[k] != Mark::Follower) {
          const double a = static_cast<double>(k) * raft::kSampleUs;
          const double b = std::min(static_cast<double>(e) * raft::kSampleUs, static_cast<double>(sc.time_us()));
          dl->AddRectFilled(ImVec2(x_of(a), y + 0.5f * s), ImVec2(std::max(x_of(a) + 1, x_of(b)), y + row_h - 0.5f * s),
                            col(mark_colour(row[k], f.palette), mark_alpha(row[k])));
        }
        k = e;
      }
    }
    const float cx = x_of(static_cast<double>(sc.time_us()));
    dl->AddLine(ImVec2(cx, top), ImVec2(cx, mx.y), col(f.palette.text, 0.45f), 1.0f * s);
  }

  void draw_chart(const Frame& f, const RaftScenario& sc, ImDrawList* dl, ImVec2 mn, ImVec2 mx, double axis_s) {
    if (mx.y - mn.y < 30 * f.scale) return;
    const chart::Style st = chart::theme_style(f.palette, f.scale);
    std::vector<chart::Series> series = {
        {.samples = &sc.proposed(), .colour = col(f.palette.muted), .thickness = 2},
        {.samples = &sc.committed(), .colour = col(f.palette.accent), .thickness = 2},
    };
    chart::Chart c;
    c.min = mn;
    c.max = mx;
    c.title = "Proposals made (grey) and committed (accent)";
    c.period_s = static_cast<double>(raft::kSampleUs) * 1e-6;
    c.x_max_s = axis_s;
    c.now_s = static_cast<double>(sc.time_us()) * 1e-6;
    c.y_min_span = 10;
    const rs::ClusterStats stats = sc.cluster().stats();
    if (stats.last_elected_us >= 0) {
      c.marker_s = static_cast<double>(stats.last_elected_us) * 1e-6;
      c.marker_colour = col(f.palette.accent);
    }
    chart::draw_chart(dl, st, c, series);
  }
};

}  // namespace

std::unique_ptr<View> make_raft_view() { return std::make_unique<RaftView>(); }

}  // namespace scalebook::widgets
