#include "site/loader.h"

#include <algorithm>
#include <vector>

#include "site/text.h"
#include "util/json.h"

namespace scalebook::site {

namespace fs = std::filesystem;

namespace {

// NN-name.js: two digits, a dash, [a-z0-9-]+, ".js".
bool is_part(const std::string& name) {
  if (name.size() < 7 || name.substr(name.size() - 3) != ".js") return false;
  if (!(name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' && name[2] == '-')) return false;
  return std::all_of(name.begin() + 3, name.end() - 3,
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace

LoaderResult assemble_loader(const fs::path& web_dir) {
  LoaderResult r;
  const fs::path dir = web_dir / "loader";
  const std::string shown = dir.generic_string();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    r.file = shown;
    r.error = "the widget loader's sources are missing (expected NN-name.js files and widget.css)";
    return r;
  }
  std::vector<std::string> parts;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name == "widget.css" || name.front() == '.') continue;
    if (!is_part(name)) {
      r.file = (dir / name).generic_string();
      r.error = "not a loader part (expected NN-name.js, e.g. 20-runtime.js)";
      return r;
    }
    parts.push_back(name);
  }
  if (ec) {
    r.file = shown;
    r.error = ec.message();
    return r;
  }
  if (parts.empty()) {
    r.file = shown;
    r.error = "no NN-name.js parts";
    return r;
  }
  std::sort(parts.begin(), parts.end());
  std::string css;
  if (!read_file_if_exists(dir / "widget.css", css)) {
    r.file = (dir / "widget.css").generic_string();
    r.error = "cannot be read (the widgets' stylesheet)";
    return r;
  }
  // The stylesheet's leading comment documents the file; the page does not need it.
  if (css.rfind("/*", 0) == 0) {
    const auto end = css.find("*/");
    if (end == std::string::npos) {
      r.file = (dir / "widget.css").generic_string();
      r.error = "unterminated comment";
      return r;
    }
    css.erase(0, end + 2);
    while (!css.empty() && (css.front() == '\n' || css.front() == '\r')) css.erase(0, 1);
  }
  while (!css.empty() && (css.back() == '\n' || css.back() == '\r')) css.pop_back();

  std::string js =
      "/* scalebook.js — the Scalebook widget loader. Assembled from web/loader/ (edit the files there; "
      "10-config.js documents it). */\n(function () {\n'use strict';\nvar WIDGET_CSS = ";
  util::append_json_string(js, css);
  js += ";\n";
  for (const auto& name : parts) {
    std::string text;
    if (!read_file_if_exists(dir / name, text)) {
      r.file = (dir / name).generic_string();
      r.error = "cannot be read";
      return r;
    }
    if (!text.empty() && text.back() != '\n') text += '\n';
    js += text;
  }
  js += "})();\n";
  r.js = std::move(js);
  return r;
}

}  // namespace scalebook::site
