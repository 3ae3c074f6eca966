// llm — view: the latest engine step request by request, the KV block pool, and charts.
// Draw-only: the run is scenario.{h,cpp}; the model src/sim/llm.
//
// Batch (top left): one row per request the step gave tokens to, its bar the request's
// sequence on a shared scale (max_model_len): tokens whose KV was already there (muted),
// of them the part found in the prefix cache (accent, faint), and this step's tokens: a
// prompt chunk (warn) or one decode token (accent, at least 2 px); a static batch's slot
// that has finished but still costs its decode step, and the padding of a static prefill to
// the batch's longest prompt, are faded bad-coloured (padding).
// KV cache (top right): every block as a cell, block 0 (vLLM's null block) dark; a running
// request's blocks in its series colour, blocks shared by several requests (a prefix hit)
// in accent, free blocks that still hold a cached prefix muted, free blocks faint. Static
// batching: each request's contiguous reservation, solid where its tokens are, faded where
// reserved but empty (the fragmentation paged KV removes).
// Below: output tokens/s; requests running and waiting; TTFT p50/p99 of recent first
// tokens and the p99 inter-token gap of the last second.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "widgets/chart.h"
#include "widgets/kit/kit.h"
#include "widgets/llm/scenario.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

using kit::col;
using llm::BatchEntry;
using llm::LlmScenario;
namespace sl = sim::llm;

class LlmView final : public View {
 public:
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const LlmScenario&>(scenario);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s, line_h = ImGui::GetTextLineHeight();
    if (!sc.ok()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), sc.error().c_str());
      return;
    }
    const float x0 = f.x + pad, x1 = f.x + f.width - pad, y0 = f.y + pad, y1 = f.y + f.height - pad;
    const float top_h = std::max(60 * s, (y1 - y0 - line_h * 1.4f) * 0.56f);
    const float split = x0 + (x1 - x0) * 0.5f;
    draw_batch(dl, f, sc, ImVec2(x0, y0), ImVec2(split - pad * 0.6f, y0 + top_h));
    draw_kv(dl, f, sc, ImVec2(split + pad * 0.6f, y0), ImVec2(x1, y0 + top_h));
    // Status line.
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s  ·  running %d  ·  waiting %d  ·  finished %d  ·  %s tokens  ·  preemptions %lld",
                  sc.continuous() ? "continuous batching" : "static batching", sc.running(), sc.waiting(), sc.finished(),
                  kit::thousands(static_cast<unsigned long long>(sc.output_tokens())).c_str(),
                  static_cast<long long>(sc.preemptions()));
    const float sy = y0 + top_h + line_h * 0.3f;
    dl->AddText(ImVec2(x0, sy), col(f.palette.text), buf);
    if (!sc.events().empty()) {
      const char* ev = sc.events().back().c_str();
      const float w = ImGui::CalcTextSize(ev).x;
      if (x0 + ImGui::CalcTextSize(buf).x + 20 * s + w < x1) dl->AddText(ImVec2(x1 - w, sy), col(f.palette.muted), ev);
    }
    draw_charts(dl, f, sc, ImVec2(x0, sy + line_h * 1.4f), ImVec2(x1, y1));
  }

 private:
  std::vector<int> owner_;   // per block: index of the owning request in the view's order, -1 none
  std::vector<char> shared_;

  void draw_batch(ImDrawList* dl, const Frame& f, const LlmScenario& sc, ImVec2 mn, ImVec2 mx) {
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const auto& batch = sc.last_batch();
    int prefill = 0, decode = 0, padding = 0, tokens = 0;
    for (const auto& e : batch) {
      tokens += e.tokens;
      if (e.kind == BatchEntry::Kind::Prefill) ++prefill;
      else if (e.kind == BatchEntry::Kind::Decode) ++decode;
      else ++padding;
    }
    char buf[160];
    const std::int64_t step_us = sc.steps().empty() ? 0 : sc.steps().back().duration_us;
    std::snprintf(buf, sizeof buf, "Step %zu: %d prompt chunk%s + %d decode%s%s, %d tokens, %.0f ms", sc.steps().size(),
                  prefill, prefill == 1 ? "" : "s", decode, decode == 1 ? "" : "s", padding ? " (+ padding)" : "", tokens,
                  static_cast<double>(step_us) / 1e3);
    dl->PushClipRect(mn, ImVec2(mx.x, mx.y), true);
    dl->AddText(mn, col(f.palette.text), buf);
    // Legend.
    float lx = mn.x;
    const float ly = mn.y + line_h * 1.1f;
    struct Key {
      const char* label;
      ImU32 c;
    };
    const Key keys[] = {{"prompt chunk", col(f.palette.warn)}, {"decode token", col(f.palette.accent)},
                        {"KV already there", col(f.palette.muted, 0.45f)}, {"prefix hit", col(f.palette.accent, 0.3f)}};
    for (const auto& k : keys) {
      dl->AddRectFilled(ImVec2(lx, ly + line_h * 0.25f), ImVec2(lx + 9 * s, ly + line_h * 0.8f), k.c, 1.5f * s);
      dl->AddText(ImVec2(lx + 12 * s, ly), col(f.palette.muted), k.label);
      lx += 12 * s + ImGui::CalcTextSize(k.label).x + 9 * s;
    }
    const float top = ly + line_h * 1.2f;
    const float label_w = ImGui::CalcTextSize("#000000 ").x;
    const int n = static_cast<int>(batch.size());
    if (n == 0) {
      dl->AddText(ImVec2(mn.x, top), col(f.palette.muted), sc.steps().empty() ? "(no step yet)" : "(idle)");
      dl->PopClipRect();
      return;
    }
    const float row_h = std::min(line_h * 1.05f, (mx.y - top) / static_cast<float>(n));
    const float bar_h = std::max(1.0f, row_h * 0.78f);
    const float bx0 = mn.x + (row_h >= line_h * 0.8f ? label_w : 0), bx1 = mx.x;
    const double scale = (bx1 - bx0) / static_cast<double>(std::max(1, sc.config().max_model_len));
    auto x_of = [&](int tok) { return bx0 + static_cast<float>(tok * scale); };
    for (int i = 0; i < n; ++i) {
      const BatchEntry& e = batch[static_cast<std::size_t>(i)];
      const float y = top + row_h * static_cast<float>(i);
      if (row_h >= line_h * 0.8f) {
        std::snprintf(buf, sizeof buf, "#%lld", static_cast<long long>(e.id % 1'000'000));
        dl->AddText(ImVec2(mn.x, y + (bar_h - line_h) / 2), col(f.palette.muted), buf);
      }
      dl->AddRectFilled(ImVec2(bx0, y), ImVec2(bx1, y + bar_h), col(f.palette.muted, 0.06f));
      if (e.kind == BatchEntry::Kind::Padding) {
        dl->AddRectFilled(ImVec2(bx0, y), ImVec2(x_of(e.computed_after), y + bar_h), col(f.palette.bad, 0.18f));
        continue;
      }
      // A static prefill is padded to the batch's longest prompt: the padding past its own
      // prompt is drawn after it, faded.
      const int before = std::max(0, e.computed_after - e.tokens);
      const int padded = e.tokens - (e.computed_after - before);
      if (padded > 0)
        dl->AddRectFilled(ImVec2(x_of(e.computed_after), y), ImVec2(x_of(e.computed_after + padded), y + bar_h),
                          col(f.palette.bad, 0.18f));
      dl->AddRectFilled(ImVec2(bx0, y), ImVec2(x_of(before), y + bar_h), col(f.palette.muted, 0.45f));
      if (e.prefix_hit_tokens > 0)
        dl->AddRectFilled(ImVec2(bx0, y), ImVec2(x_of(e.prefix_hit_tokens), y + bar_h), col(f.palette.accent, 0.3f));
      const bool dec = e.kind == BatchEntry::Kind::Decode;
      const float a = x_of(before), b = std::max(x_of(e.computed_after), a + 2 * s);
      dl->AddRectFilled(ImVec2(a, y), ImVec2(b, y + bar_h), col(dec ? f.palette.accent : f.palette.warn));
      // Where its prompt ends (outputs beyond).
      const float px = x_of(e.prompt_tokens);
      if (bar_h >= 4 * s) dl->AddLine(ImVec2(px, y), ImVec2(px, y + bar_h), col(f.palette.text, 0.35f), 1 * s);
    }
    dl->PopClipRect();
  }

  void draw_kv(ImDrawList* dl, const Frame& f, const LlmScenario& sc, ImVec2 mn, ImVec2 mx) {
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const int blocks = sc.config().num_gpu_blocks, bs = sc.config().block_size;
    char buf[160];
    std::snprintf(buf, sizeof buf, "KV cache: %d of %d blocks in use (%d tokens each)", sc.kv_used_blocks(), blocks - 1, bs);
    dl->PushClipRect(mn, mx, true);
    dl->AddText(mn, col(f.palette.text), buf);
    owner_.assign(static_cast<std::size_t>(blocks), -1);
    shared_.assign(static_cast<std::size_t>(blocks), 0);
    std::vector<char> reserved_only;
    if (sc.continuous()) {
      const sl::KvCacheManager& kv = sc.scheduler().kv();
      int k = 0;
      for (sl::RequestId id : sc.scheduler().running()) {
        if (kv.has_blocks(id))
          for (int b : kv.blocks_of(id))
            if (b > 0 && b < blocks) {
              if (owner_[static_cast<std::size_t>(b)] >= 0) shared_[static_cast<std::size_t>(b)] = 1;
              owner_[static_cast<std::size_t>(b)] = k;
            }
        ++k;
      }
    } else {
      reserved_only.assign(static_cast<std::size_t>(blocks), 0);
      int at = 1, k = 0;
      for (const auto& slot : sc.static_batch()) {
        const int filled = (slot.prompt_tokens + slot.outputs + bs - 1) / bs;
        for (int j = 0; j < slot.reserved_blocks && at < blocks; ++j, ++at) {
          owner_[static_cast<std::size_t>(at)] = k;
          reserved_only[static_cast<std::size_t>(at)] = j >= filled;
        }
        ++k;
      }
    }
    // Legend under the title, then the grid: square cells, as many columns as fit.
    const float ly = mn.y + line_h * 1.1f;
    float lx = mn.x;
    struct Key {
      const char* label;
      ImU32 c;
    };
    const Key cont[] = {{"a request's", col(kit::series_colour(0, f.dark))}, {"shared prefix", col(f.palette.accent)},
                        {"free, cached", col(f.palette.muted, 0.5f)}, {"free", col(f.palette.muted, 0.12f)}};
    const Key stat[] = {{"a request's", col(kit::series_colour(0, f.dark))},
                        {"reserved, empty", col(kit::series_colour(0, f.dark), 0.25f)}, {"free", col(f.palette.muted, 0.12f)}};
    const Key* keys = sc.continuous() ? cont : stat;
    const int nkeys = sc.continuous() ? 4 : 3;
    for (int i = 0; i < nkeys; ++i) {
      dl->AddRectFilled(ImVec2(lx, ly + line_h * 0.25f), ImVec2(lx + 9 * s, ly + line_h * 0.8f), keys[i].c, 1.5f * s);
      dl->AddText(ImVec2(lx + 12 * s, ly), col(f.palette.muted), keys[i].label);
      lx += 12 * s + ImGui::CalcTextSize(keys[i].label).x + 9 * s;
    }
    const float top = ly + line_h * 1.2f, w = mx.x - mn.x, h = mx.y - top;
    if (w < 10 * s || h < 10 * s) {
      dl->PopClipRect();
      return;
    }
    // The largest cell that fits every block.
    int cols = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(blocks) * w / h))));
    float cell = w / static_cast<float>(cols);
    while (std::ceil(static_cast<float>(blocks) / static_cast<float>(cols)) * cell > h && cols < blocks) {
      ++cols;
      cell = w / static_cast<float>(cols);
    }
    const float gap = cell >= 5 * s ? std::max(1.0f, cell * 0.15f) : 0.0f;
    const sl::BlockPool* pool = sc.continuous() ? &sc.scheduler().kv().pool() : nullptr;
    for (int b = 0; b < blocks; ++b) {
      const float cx = mn.x + static_cast<float>(b % cols) * cell, cy = top + static_cast<float>(b / cols) * cell;
      ImU32 c;
      const int o = owner_[static_cast<std::size_t>(b)];
      if (b == 0) c = col(f.palette.text, 0.7f);
      else if (o >= 0 && shared_[static_cast<std::size_t>(b)]) c = col(f.palette.accent);
      else if (o >= 0) {
        const bool empty = !reserved_only.empty() && reserved_only[static_cast<std::size_t>(b)];
        c = col(kit::series_colour(static_cast<std::size_t>(o), f.dark), empty ? 0.25f : 0.9f);
      } else if (pool && pool->block(b).has_hash) c = col(f.palette.muted, 0.5f);
      else c = col(f.palette.muted, 0.12f);
      dl->AddRectFilled(ImVec2(cx, cy), ImVec2(cx + cell - gap, cy + cell - gap), c);
    }
    dl->PopClipRect();
  }

  void draw_charts(ImDrawList* dl, const Frame& f, const LlmScenario& sc, ImVec2 mn, ImVec2 mx) {
    const float s = f.scale;
    if (mx.y - mn.y < 40 * s) return;
    const chart::Style st = chart::theme_style(f.palette, s);
    // A time axis that grows with the run in 10 s steps (at least 20 s).
    const double now_s = static_cast<double>(sc.time_us()) * 1e-6, dur_s = static_cast<double>(sc.duration_us()) * 1e-6;
    const double axis_s = std::min(dur_s, std::max(20.0, (std::floor(now_s / 10.0) + 1.0) * 10.0));
    const int cells = (mx.x - mn.x) > 600 * s ? 3 : 2;
    const float gap = 14 * s, cw = ((mx.x - mn.x) - gap * static_cast<float>(cells - 1)) / static_cast<float>(cells);
    auto cell = [&](int i) {
      const float a = mn.x + static_cast<float>(i) * (cw + gap);
      return std::pair<ImVec2, ImVec2>{ImVec2(a, mn.y), ImVec2(a + cw, mx.y)};
    };
    chart::Chart c;
    c.period_s = static_cast<double>(llm::kSampleUs) * 1e-6;
    c.x_max_s = axis_s;
    c.now_s = now_s;
    {
      const std::vector<chart::Series> series = {{.samples = &sc.tok_s(), .colour = col(f.palette.accent), .thickness = 2}};
      auto [a, b] = cell(0);
      c.min = a;
      c.max = b;
      c.title = "Output tokens/s";
      c.y_min_span = 100;
      chart::draw_chart(dl, st, c, series);
    }
    if (cells == 3) {
      const std::vector<chart::Series> series = {
          {.samples = &sc.running_s(), .colour = col(f.palette.accent), .thickness = 2},
          {.samples = &sc.waiting_s(), .colour = col(f.palette.warn), .thickness = 2}};
      auto [a, b] = cell(1);
      c.min = a;
      c.max = b;
      c.title = "Running (accent), waiting (warn)";
      c.y_min_span = 10;
      c.reference = static_cast<double>(sc.config().max_num_seqs);
      c.reference_label = "max_num_seqs";
      chart::draw_chart(dl, st, c, series);
      c.reference = -1;
      c.reference_label = nullptr;
    }
    {  // narrow: the running and waiting counts are in the status line
      const std::vector<chart::Series> series = {
          {.samples = &sc.ttft_p50_s(), .colour = col(f.palette.accent), .thickness = 2},
          {.samples = &sc.ttft_p99_s(), .colour = col(f.palette.warn), .thickness = 2},
          {.samples = &sc.itl_p99_s(), .colour = col(f.palette.muted), .thickness = 1.5f, .dashed = true}};
      auto [a, b] = cell(cells - 1);
      c.min = a;
      c.max = b;
      c.title = "TTFT p50, p99; ITL p99 (dashed)";
      c.y_min_span = 0.1;
      c.y_format = chart::fmt_seconds;
      chart::draw_chart(dl, st, c, series);
    }
  }
};

}  // namespace

std::unique_ptr<View> make_llm_view() { return std::make_unique<LlmView>(); }

}  // namespace scalebook::widgets
