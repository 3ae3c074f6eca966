// widget_fence.h — ```widget NAME fences: parse `key = value` lines, validate them
// against the widget catalog, and render the <scalebook-widget> element.
//
//   ```widget rate-limiter
//   # comments and blank lines are allowed
//   algorithm = token-bucket
//   rate_per_s = 10
//   caption = Bursts drain the bucket     (optional; overrides the figcaption)
//   preset = boundary                     (optional; start from a story preset)
//   ```
// `preset = ID` names one of the widget's story presets (catalog.h); the element then
// gets the preset's parameters, and keys written in the fence override them.
// Errors name the offending line: the key's line, or the fence line for an
// unknown widget or a malformed info string.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "site/book.h"
#include "widgets/catalog.h"

namespace scalebook::site {

struct WidgetFence {
  const widgets::WidgetInfo* widget = nullptr;
  std::vector<std::pair<std::string, std::string>> params;  // validated, in written order
  std::string caption;  // "" = "TITLE — first sentence of DESCRIPTION" (or the preset's story)
  const widgets::PresetSpec* preset = nullptr;  // `preset = ID`, or none
};

// The element's attributes: the preset's parameters not written in the fence, then the
// fence's own parameters in written order.
std::vector<std::pair<std::string, std::string>> effective_params(const WidgetFence& fence);

// True when `info` (the whole info string) names a widget fence ("widget …").
bool is_widget_info(std::string_view info);

// Parses and validates one fence. `fence_line` is the line of the opening ```;
// body line i (0-based) is at fence_line + 1 + i. Returns false and appends
// diagnostics (all of them, not just the first) when the fence is invalid.
bool parse_widget_fence(std::string_view info, std::string_view body, int fence_line,
                        const std::string& shown_file, WidgetFence& out, std::vector<Diagnostic>& errors);

// The live element with its no-script fallback, wrapped in a <figure>.
std::string render_widget_html(const WidgetFence& fence);
// A static figure for print: caption, description and the settings, never a blank box.
std::string render_widget_static_html(const WidgetFence& fence, const std::string& online_href);

// First sentence of a description (up to the first ". "), for captions.
std::string first_sentence(std::string_view text);

}  // namespace scalebook::site
