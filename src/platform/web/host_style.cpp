// host_style.cpp — the widget's look: the UI font rasterised at the page's device pixel
// ratio, and ImGui's light or dark style in the book's palette (render/palette.h).
#include <imgui.h>

#include <cmath>

#include "platform/web/host.h"
#include "render/assets.h"
#include "render/imgui_renderer.h"
#include "render/palette.h"

namespace scalebook::platform {

void WidgetHost::rebuild_fonts_and_style() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // the font lives in the binary's data section
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2010, 0x203A, 0x2190, 0x2195, 0x2212, 0x2265, 0x25A0, 0x25B6, 0x23F8, 0x23F8,
                                   0x03B1, 0x03C9, 0};
  io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(render::assets::kUiFont),
                                 static_cast<int>(render::assets::kUiFont_size), std::round(14.0f * dpr), &cfg, ranges);
  if (gl_ready) ui_renderer->upload_fonts();
  apply_style();
  font_dpr = dpr;
}

void WidgetHost::apply_style() {
  ImGuiStyle style;
  if (dark)
    ImGui::StyleColorsDark(&style);
  else
    ImGui::StyleColorsLight(&style);
  style.WindowRounding = 6;
  style.FrameRounding = 4;
  style.GrabRounding = 4;
  style.WindowBorderSize = 0;
  const auto p = render::palette(dark);
  auto col = [](render::Rgb c, float a = 1.0f) { return ImVec4(c.r, c.g, c.b, a); };
  style.Colors[ImGuiCol_WindowBg] = col(p.surface, 0.94f);
  style.Colors[ImGuiCol_Text] = col(p.text);
  style.Colors[ImGuiCol_Button] = col(p.accent, 0.18f);
  style.Colors[ImGuiCol_ButtonHovered] = col(p.accent, 0.35f);
  style.Colors[ImGuiCol_ButtonActive] = col(p.accent, 0.55f);
  style.Colors[ImGuiCol_SliderGrab] = col(p.accent, 0.9f);
  style.Colors[ImGuiCol_SliderGrabActive] = col(p.accent, 1.0f);
  style.Colors[ImGuiCol_FrameBg] = col(p.text, 0.07f);
  style.Colors[ImGuiCol_FrameBgHovered] = col(p.accent, 0.15f);
  style.Colors[ImGuiCol_CheckMark] = col(p.accent);
  style.ScaleAllSizes(dpr);
  ImGui::GetStyle() = style;
}

}  // namespace scalebook::platform
