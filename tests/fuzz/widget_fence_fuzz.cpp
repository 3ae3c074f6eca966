// Fuzzes the ```widget fence parser (src/site/widget_fence.h).
// Input: first line = the fence's info string, the rest = its body.
// Properties beyond "no crash, no UB, no leak":
//   - the result is true exactly when no diagnostic was added, and every diagnostic
//     points at the fence line or a body line;
//   - a valid fence renders to HTML where no user-written text adds markup: the
//     number of '<' and '"' characters is the same as with every value and the
//     caption replaced by a plain "x" (everything user-controlled is escaped).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "site/widget_fence.h"

namespace {

std::size_t count(const std::string& s, char c) {
  std::size_t n = 0;
  for (char x : s) n += x == c;
  return n;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace scalebook::site;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = input.find('\n');
  const std::string_view info = input.substr(0, nl);
  const std::string_view body = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
  if (!is_widget_info(info)) return 0;

  constexpr int kFenceLine = 7;
  WidgetFence fence;
  std::vector<Diagnostic> errors;
  const bool ok = parse_widget_fence(info, body, kFenceLine, "fuzz.md", fence, errors);
  if (ok != errors.empty()) fail("return value disagrees with diagnostics");
  int body_lines = 1;
  for (char c : body) body_lines += c == '\n';
  for (const Diagnostic& d : errors) {
    if (d.file != "fuzz.md" || d.line < kFenceLine || d.line > kFenceLine + body_lines) fail("diagnostic line out of range");
    if (d.message.empty()) fail("empty diagnostic");
  }
  if (!ok) return 0;
  if (fence.widget == nullptr) fail("valid fence without a widget");

  const std::string live = render_widget_html(fence);
  const std::string print = render_widget_static_html(fence, "chapter.html#w");
  WidgetFence plain = fence;
  for (auto& [key, value] : plain.params) value = "x";
  if (!plain.caption.empty()) plain.caption = "x";
  const std::string live_plain = render_widget_html(plain);
  const std::string print_plain = render_widget_static_html(plain, "chapter.html#w");
  if (count(live, '<') != count(live_plain, '<') || count(live, '"') != count(live_plain, '"'))
    fail("a parameter value or caption added markup to the live widget HTML");
  if (count(print, '<') != count(print_plain, '<') || count(print, '"') != count(print_plain, '"'))
    fail("a parameter value or caption added markup to the print figure");
  return 0;
}
