// stampede — view: a hot key's database load over time under one or two strategies.
// Draw-only: the run is scenario.{h,cpp}; the model src/sim/cache/stampede.h.
//
// Top: per strategy a line with its colour and the counts so far (queries, most at once,
// stale reads; the p99 read latency once the run is over). Below, on one time axis with a
// "now" cursor: database queries started per 100 ms and reads served a stale value per 100 ms.
#include <imgui.h>

#include <cstdio>
#include <string>
#include <vector>

#include "widgets/chart.h"
#include "widgets/kit/kit.h"
#include "widgets/stampede/scenario.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

using kit::col;
using stampede::StampedeScenario;

class StampedeView final : public View {
 public:
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const StampedeScenario&>(scenario);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s, line_h = ImGui::GetTextLineHeight();
    if (!sc.error().empty()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), sc.error().c_str());
      return;
    }
    float y = f.y + pad;
    char buf[200];
    for (std::size_t i = 0; i < sc.lanes().size(); ++i) {
      const auto& l = sc.lanes()[i];
      const ImU32 c = col(kit::series_colour(i, f.dark));
      dl->AddRectFilled(ImVec2(f.x + pad, y + line_h * 0.2f), ImVec2(f.x + pad + 4 * s, y + line_h * 0.85f), c);
      int n = std::snprintf(buf, sizeof buf, "%s: %s DB queries, at most %u at once, %s stale reads",
                            stampede::strategy_label(l.desc.strategy), kit::thousands(l.queries_so_far).c_str(),
                            l.peak_so_far, kit::thousands(l.stale_so_far).c_str());
      if (sc.finished() && n > 0 && static_cast<std::size_t>(n) < sizeof buf)
        std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "; p99 read %.1f ms",
                      static_cast<double>(l.result.latency_percentile_us(99)) / 1000.0);
      dl->AddText(ImVec2(f.x + pad + 9 * s, y), col(f.palette.text), buf);
      y += line_h + 3 * s;
    }
    y += 4 * s;
    const chart::Style st = chart::theme_style(f.palette, s);
    const float bottom = f.y + f.height - pad, gap = 10 * s;
    const float h = (bottom - y - gap) * 0.5f;
    std::vector<chart::Series> queries, stale;
    for (std::size_t i = 0; i < sc.lanes().size(); ++i) {
      const auto& l = sc.lanes()[i];
      const ImU32 c = col(kit::series_colour(i, f.dark));
      queries.push_back({.samples = &l.queries, .colour = c, .thickness = 2});
      stale.push_back({.samples = &l.stale, .colour = c, .thickness = 2});
    }
    chart::Chart c;
    c.min = ImVec2(f.x + pad, y);
    c.max = ImVec2(f.x + f.width - pad, y + h);
    c.title = "Database queries started per 100 ms";
    c.period_s = static_cast<double>(stampede::kBucketUs) * 1e-6;
    c.x_max_s = static_cast<double>(sc.duration_us()) * 1e-6;
    c.now_s = static_cast<double>(sc.time_us()) * 1e-6;
    c.y_min_span = 5;  // linear: a strategy's single query per expiry is a small, honest bump
    chart::draw_chart(dl, st, c, queries);
    c.min = ImVec2(f.x + pad, y + h + gap);
    c.max = ImVec2(f.x + f.width - pad, bottom);
    c.title = "Reads served a stale value per 100 ms";
    c.y_min_span = 10;
    chart::draw_chart(dl, st, c, stale);
  }
};

}  // namespace

std::unique_ptr<View> make_stampede_view() { return std::make_unique<StampedeView>(); }

}  // namespace scalebook::widgets
