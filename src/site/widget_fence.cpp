#include "site/widget_fence.h"

#include "site/text.h"

#include <map>

#include "widgets/param_edit.h"

namespace scalebook::site {

namespace {

bool valid_key(std::string_view k) {
  if (k.empty()) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

std::string caption_text(const WidgetFence& f) {
  if (!f.caption.empty()) return f.caption;
  if (f.preset) return std::string(f.widget->title) + " — " + std::string(f.preset->label) + ": " + std::string(f.preset->story);
  return std::string(f.widget->title) + " — " + first_sentence(f.widget->description);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> effective_params(const WidgetFence& f) {
  std::vector<std::pair<std::string, std::string>> out;
  if (f.preset)
    for (const auto& [k, v] : f.preset->params) {
      bool written = false;
      for (const auto& kv : f.params) written = written || kv.first == k;
      if (!written) out.emplace_back(std::string(k), std::string(v));
    }
  out.insert(out.end(), f.params.begin(), f.params.end());
  return out;
}

std::string first_sentence(std::string_view text) {
  size_t dot = text.find(". ");
  if (dot == std::string_view::npos) return trim(text);
  return trim(text.substr(0, dot + 1));
}

bool is_widget_info(std::string_view info) {
  std::string t = trim(info);
  return t == "widget" || starts_with(t, "widget ") || starts_with(t, "widget\t");
}

bool parse_widget_fence(std::string_view info, std::string_view body, int fence_line, const std::string& shown,
                        WidgetFence& out, std::vector<Diagnostic>& errors) {
  const size_t errors_before = errors.size();
  auto err = [&](int line, const std::string& m) { errors.push_back({shown, line, m}); };
  std::string rest = trim(trim(info).substr(6));
  if (rest.empty()) {
    err(fence_line, "widget fence without a widget name (known: " + widgets::widget_names() + ")");
    return false;
  }
  if (rest.find_first_of(" \t") != std::string::npos) {
    err(fence_line, "widget fence info must be 'widget NAME', got \"" + trim(info) + "\" (put parameters on their own 'key = value' lines)");
    return false;
  }
  out = {};
  out.widget = widgets::find_widget(rest);
  if (!out.widget) {
    err(fence_line, "unknown widget '" + rest + "' (known: " + widgets::widget_names() + ")");
    return false;
  }
  int line = fence_line;
  bool caption_seen = false, preset_seen = false;
  std::map<std::string, int> key_lines;  // parameter → its line (cross-parameter messages)
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size();
    std::string text = trim(body.substr(pos, nl - pos));
    pos = nl + 1;
    ++line;
    if (text.empty() || text[0] == '#') continue;
    size_t eq = text.find('=');
    if (eq == std::string::npos) {
      err(line, "expected 'key = value' in widget '" + std::string(out.widget->name) + "', got \"" + text + "\"");
      continue;
    }
    std::string key = trim(text.substr(0, eq));
    std::string value = trim(text.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (!valid_key(key)) {
      err(line, "expected 'key = value' in widget '" + std::string(out.widget->name) + "', got \"" + text + "\"");
      continue;
    }
    if (key == "caption") {
      if (caption_seen) err(line, "duplicate key 'caption'");
      caption_seen = true;
      if (value.empty()) err(line, "caption is empty");
      out.caption = value;
      continue;
    }
    if (key == "preset") {
      if (preset_seen) err(line, "duplicate key 'preset'");
      preset_seen = true;
      out.preset = widgets::find_preset(*out.widget, value);
      if (!out.preset)
        err(line, "unknown preset '" + value + "' for widget '" + std::string(out.widget->name) + "' (known: " +
                      (out.widget->presets.empty() ? std::string("none") : widgets::preset_ids(*out.widget)) + ")");
      continue;
    }
    const widgets::ParamSpec* p = widgets::find_param(*out.widget, key);
    if (!p) {
      err(line, "unknown parameter '" + key + "' for widget '" + std::string(out.widget->name) + "' (known: " +
                    widgets::param_names(*out.widget) + ", caption, preset)");
      continue;
    }
    bool dup = false;
    for (auto& [k, v] : out.params) dup = dup || k == key;
    if (dup) {
      err(line, "duplicate key '" + key + "' in widget '" + std::string(out.widget->name) + "'");
      continue;
    }
    std::string problem = widgets::validate_param(*p, value);
    if (!problem.empty()) {
      err(line, "widget '" + std::string(out.widget->name) + "' parameter '" + key + "': " + problem);
      continue;
    }
    out.params.emplace_back(key, value);
    key_lines[key] = line;
  }
  // Valid one by one, now together: the one parameter path (widgets/param_edit.h) with
  // the widget's cross-parameter check, reported at the line of the parameter it names.
  if (errors.size() == errors_before) {
    widgets::ParamEdits edits;
    if (out.preset) edits.emplace_back("preset", std::string(out.preset->id));
    for (const auto& kv : out.params) edits.push_back(kv);
    widgets::ParamMap full = widgets::default_params(*out.widget);
    const auto result = widgets::apply_edits(*out.widget, full, edits);
    if (result.result == widgets::EditResult::Refused) {
      const auto it = key_lines.find(result.key);
      err(it != key_lines.end() ? it->second : fence_line,
          "widget '" + std::string(out.widget->name) + "': " + result.message);
    }
  }
  return errors.size() == errors_before;
}

std::string render_widget_html(const WidgetFence& f) {
  const auto& w = *f.widget;
  std::string h = "<figure class=\"sb-widget-figure\"><scalebook-widget name=\"" + html_escape(w.name) + "\"";
  for (auto& [k, v] : effective_params(f)) h += " " + k + "=\"" + html_escape(v) + "\"";
  h += "><div class=\"sb-fallback\"><p><strong>Interactive widget: " + html_escape(w.title) + ".</strong> " +
       html_escape(w.description) +
       "</p><noscript><p>This simulation needs JavaScript and WebAssembly.</p></noscript></div></scalebook-widget>"
       "<figcaption>" + html_escape(caption_text(f)) + "</figcaption></figure>\n";
  return h;
}

std::string render_widget_static_html(const WidgetFence& f, const std::string& online_href) {
  const auto& w = *f.widget;
  std::string h = "<figure class=\"sb-widget-figure sb-widget-static\"><div class=\"sb-widget-static-box\"><p><strong>Interactive widget: " +
                  html_escape(w.title) + ".</strong> " + html_escape(w.description) + "</p>";
  const auto settings = effective_params(f);
  if (f.preset) h += "<p class=\"sb-widget-preset\">Preset: <strong>" + html_escape(f.preset->label) + "</strong></p>";
  if (!settings.empty()) {
    h += "<p class=\"sb-widget-settings\">Settings: ";
    bool first = true;
    for (auto& [k, v] : settings) {
      if (!first) h += ", ";
      first = false;
      h += "<code>" + html_escape(k) + " = " + html_escape(v) + "</code>";
    }
    h += "</p>";
  }
  if (!online_href.empty())
    h += "<p class=\"sb-widget-online\">Run it online: <a href=\"" + html_escape(online_href) + "\">" + html_escape(online_href) + "</a></p>";
  h += "</div><figcaption>" + html_escape(caption_text(f)) + "</figcaption></figure>\n";
  return h;
}

}  // namespace scalebook::site
