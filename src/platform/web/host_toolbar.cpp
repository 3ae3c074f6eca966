// host_toolbar.cpp — the controls every widget gets, drawn with ImGui at the top of its
// canvas: play/pause, step, reset, speed, seed, the parameter panel (generated from the
// schema), the reader's actions (generated from the schema's ActionSpecs), Share, the
// time scrubber and the story presets. Every edit goes through the one parameter path
// (WidgetHost::edit), every action through Run::act; the page is told of both so its DOM
// controls stay in sync. note_rect() records each control's rect for the test hook.
#include <emscripten.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "platform/web/host.h"
#include "widgets/param_edit.h"

namespace scalebook::platform {

namespace {
// SameLine() when an item `item_width` wide still fits on the current row: the toolbar
// wraps on narrow canvases (phones) instead of running off the edge.
void same_line_if_fits(float item_width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + item_width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}
float label_width(const char* text, float field) {
  return field + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(text).x;
}
float button_width(const char* text) { return ImGui::CalcTextSize(text).x + 2 * ImGui::GetStyle().FramePadding.x; }
}  // namespace

void WidgetHost::draw_toolbar(float width) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, 0));
  ImGui::Begin("##toolbar", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (ImGui::Button(playing ? "Pause" : "Play")) set_playing(!playing);
  note_rect("@playing");
  same_line_if_fits(button_width("Step"));
  if (ImGui::Button("Step")) step_once();
  note_rect("@step");
  same_line_if_fits(button_width("Reset"));
  if (ImGui::Button("Reset")) {
    configure();
    page_param_changed(handle, "@reset", "");
  }
  note_rect("@reset");
  same_line_if_fits(label_width("speed", 110 * static_cast<float>(dpr)));
  ImGui::SetNextItemWidth(110 * static_cast<float>(dpr));
  float sp = static_cast<float>(speed);
  if (ImGui::SliderFloat("speed", &sp, 0.1f, 10.0f, "%.2fx", ImGuiSliderFlags_Logarithmic)) {
    speed = sp;
    page_param_changed(handle, "@speed", std::to_string(speed).c_str());
  }
  note_rect("@speed");
  same_line_if_fits(label_width("seed", 90 * static_cast<float>(dpr)));
  ImGui::SetNextItemWidth(90 * static_cast<float>(dpr));
  std::uint64_t s = run->seed();
  if (ImGui::InputScalar("seed", ImGuiDataType_U64, &s, nullptr, nullptr, "%llu", ImGuiInputTextFlags_EnterReturnsTrue) &&
      s != run->seed() && s <= widgets::kMaxSeed) {
    run->set_seed(s);
    configure();
    page_param_changed(handle, "@seed", std::to_string(s).c_str());
  }
  note_rect("@seed");
  same_line_if_fits(label_width("parameters", ImGui::GetFrameHeight()));
  ImGui::Checkbox("parameters", &show_params);
  note_rect("@parameters");
  if (info && !info->actions.empty()) {
    same_line_if_fits(label_width("actions", ImGui::GetFrameHeight()));
    ImGui::Checkbox("actions", &show_actions);
    note_rect("@actions");
  }
  same_line_if_fits(button_width("Share"));
  if (ImGui::Button("Share")) page_share(handle);
  note_rect("@share");
  draw_scrubber();
  if (info && !info->presets.empty()) draw_presets();
  if (show_params && info) {
    for (const auto& p : info->params) {
      draw_param(p);
      note_rect(std::string(p.name).c_str());
    }
  }
  if (show_actions && info && !info->actions.empty()) draw_actions();
  toolbar_height = ImGui::GetWindowHeight();
  ImGui::End();
}

// The time scrubber: 0 … the furthest time this run has reached. Dragging it back
// replays the run to that moment from (params, seed, actions) — Run::seek — so a reader
// can step backwards through a run and forward again through the same moments.
void WidgetHost::draw_scrubber() {
  const std::int64_t now = run->time_us();
  max_time_us = std::max(max_time_us, now);
  const float field = 80 * static_cast<float>(dpr);
  same_line_if_fits(label_width("time", field));
  ImGui::SetNextItemWidth(field);
  float t = static_cast<float>(static_cast<double>(now) * 1e-6);
  const float top = static_cast<float>(static_cast<double>(std::max<std::int64_t>(max_time_us, 1)) * 1e-6);
  if (ImGui::SliderFloat("time", &t, 0.0f, top, "%.1f s", ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_NoRoundToFormat)) {
    run->seek(static_cast<std::int64_t>(static_cast<double>(t) * 1e6));
    carry_us = 0;
    dirty = true;
  }
  note_rect("@time");
}

// Story presets as one compact combo ("story: Boundary attack"), so the toolbar keeps one
// row on a book-width canvas; the page shows the same presets as DOM buttons with the
// active story's text under the canvas. While the popup is open, the test hook's controls
// hold each item's rect as "@preset:<id>".
void WidgetHost::draw_presets() {
  const std::string current_label = active_preset ? std::string(active_preset->label) : std::string("custom");
  float widest = ImGui::CalcTextSize("custom").x;
  for (const auto& pr : info->presets) widest = std::max(widest, ImGui::CalcTextSize(std::string(pr.label).c_str()).x);
  const float field = widest + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x;
  same_line_if_fits(label_width("story", field));
  ImGui::SetNextItemWidth(field);
  if (ImGui::BeginCombo("story", current_label.c_str())) {
    for (const auto& pr : info->presets) {
      const std::string label = std::string(pr.label) + "##preset-" + std::string(pr.id);
      if (ImGui::Selectable(label.c_str(), &pr == active_preset)) {
        apply_preset(pr);
        page_param_changed(handle, "@preset", std::string(pr.id).c_str());
      }
      // The open popup's items, for tests; not in its first (hidden, measuring) frame.
      if (!ImGui::IsWindowAppearing()) note_rect(("@preset:" + std::string(pr.id)).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(pr.story).c_str());
    }
    ImGui::EndCombo();
  }
  note_rect("@preset");
}

namespace {
// One value's control, for a parameter or an action's argument (both are ParamSpecs):
// `next` is the value the reader picked this frame (== value when nothing changed).
void value_control(const widgets::ParamSpec& p, const std::string& label, const std::string& value, std::string& next,
                   float width) {
  using widgets::ParamType;
  next = value;
  ImGui::SetNextItemWidth(width);
  switch (p.type) {
    case ParamType::Int: {
      int v = static_cast<int>(std::strtoll(value.c_str(), nullptr, 10));  // as widgets::get_int reads it
      if (ImGui::SliderInt(label.c_str(), &v, static_cast<int>(p.min), static_cast<int>(p.max))) next = std::to_string(v);
      break;
    }
    case ParamType::Float: {
      float v = static_cast<float>(std::strtod(value.c_str(), nullptr));  // as widgets::get_double reads it
      if (ImGui::SliderFloat(label.c_str(), &v, static_cast<float>(p.min), static_cast<float>(p.max), "%.3g")) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", static_cast<double>(v));
        next = buf;
      }
      break;
    }
    case ParamType::Bool: {
      bool v = value == "true";
      if (ImGui::Checkbox(label.c_str(), &v)) next = v ? "true" : "false";
      break;
    }
    case ParamType::Choice: {
      if (ImGui::BeginCombo(label.c_str(), value.c_str())) {
        for (auto c : p.choices)
          if (ImGui::Selectable(std::string(c).c_str(), c == value)) next = std::string(c);
        ImGui::EndCombo();
      }
      break;
    }
    case ParamType::Text: {
      char buf[256];
      std::snprintf(buf, sizeof buf, "%s", value.c_str());
      if (ImGui::InputText(label.c_str(), buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue)) next = buf;
      break;
    }
  }
  if (ImGui::IsItemHovered() && !p.help.empty()) ImGui::SetTooltip("%s", std::string(p.help).c_str());
}
}  // namespace

void WidgetHost::draw_param(const widgets::ParamSpec& p) {
  const std::string key(p.name);
  const std::string value = run->params().at(key);
  std::string next;
  value_control(p, std::string(p.label.empty() ? p.name : p.label) + "##" + key, value, next, 200 * static_cast<float>(dpr));
  // The panel only offers valid values one by one; a combination the widget cannot run
  // is refused by the one parameter path, and the panel keeps showing the current value.
  if (next != value) {
    const auto out = edit({{key, next}}, true);
    if (out.result == widgets::EditResult::Refused)
      emscripten_log(EM_LOG_CONSOLE | EM_LOG_WARN, "widget '%s': %s", name.c_str(), out.message.c_str());
  }
}

// The reader's actions (catalog.h ActionSpec), generated from the schema like the
// parameter panel: per action, a control for each argument (starting at its default)
// and a button that takes the action now (Run::act: recorded at this moment of the run,
// so it replays from a permalink). A line under the buttons says what was done, at what
// time, or why it was refused; the page's DOM status line says the same ("@action").
void WidgetHost::draw_actions() {
  for (const auto& a : info->actions) {
    const std::string id(a.name);
    auto& args = action_args[id];
    if (args.size() != a.args.size()) {
      args.clear();
      for (const auto& arg : a.args) args.emplace_back(arg.default_value);
    }
    for (std::size_t k = 0; k < a.args.size(); ++k) {
      const auto& spec = a.args[k];
      std::string next;
      value_control(spec, std::string(spec.label.empty() ? spec.name : spec.label) + "##" + id + "-" + std::string(spec.name),
                    args[k], next, 120 * static_cast<float>(dpr));
      note_rect(("@action:" + id + ":" + std::string(spec.name)).c_str());
      args[k] = next;
      ImGui::SameLine();
    }
    const std::string label = std::string(a.label.empty() ? a.name : a.label) + "##action-" + id;
    if (ImGui::Button(label.c_str())) take_action(a);
    if (ImGui::IsItemHovered() && !a.help.empty()) ImGui::SetTooltip("%s", std::string(a.help).c_str());
    note_rect(("@action:" + id).c_str());
  }
  if (!action_status.empty()) ImGui::TextUnformatted(action_status.c_str());
}

void WidgetHost::take_action(const widgets::ActionSpec& a) {
  const double t_s = static_cast<double>(run->time_us()) * 1e-6;
  const std::string name_s(a.name);
  const std::string msg = run->act(name_s, action_args[name_s]);
  if (msg.empty()) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s at %.2f s", std::string(a.label.empty() ? a.name : a.label).c_str(), t_s);
    action_status = buf;
  } else {
    action_status = msg;
    emscripten_log(EM_LOG_CONSOLE | EM_LOG_WARN, "widget '%s': %s", name.c_str(), msg.c_str());
  }
  dirty = true;
  settle_frames = std::max(settle_frames, 2);
  page_param_changed(handle, "@action", action_status.c_str());
}

void WidgetHost::note_rect(const char* key) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  note_rect(key, a.x, a.y, b.x, b.y);
}

void WidgetHost::note_rect(const char* key, float x0, float y0, float x1, float y1) {
  char buf[160];
  const double k = dpr > 0 ? 1.0 / dpr : 1.0;
  std::snprintf(buf, sizeof buf, "%s\"%s\":[%.1f,%.1f,%.1f,%.1f]", controls_next.empty() ? "" : ",", key, x0 * k, y0 * k,
                (x1 - x0) * k, (y1 - y0) * k);
  controls_next += buf;
}

// Parameter changes the view asked for in its draw (view.h, widgets/requests.h), applied
// after the frame exactly as an edit in the parameter panel (draw_param): the one
// parameter path, reconfigured, the page told. A refused request changes nothing (a
// console warning).
}  // namespace scalebook::platform
