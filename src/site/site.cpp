// site.cpp — the site build as a pipeline of named steps (site_builder.h):
//   load SUMMARY.md → render every chapter → check (site_checks.cpp) → write the outputs
//   (site_outputs.cpp: pages, cover, 404, search, assets; site_print.cpp; site_gallery.cpp).
#include "site/site.h"

#include "site/site_builder.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "site/markdown.h"
#include "site/text.h"

namespace scalebook::site {

// [SECTION] helpers -----------------------------------------------------------

fs::path default_web_dir() {
  if (fs::exists("web/templates/page.html")) return "web";
#ifdef SCALEBOOK_DEFAULT_WEB_DIR
  return SCALEBOOK_DEFAULT_WEB_DIR;
#else
  return "web";
#endif
}

std::string shown_dir(const fs::path& dir) {
  std::string s = dir.generic_string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

bool is_external(const std::string& href) {
  if (starts_with(href, "//")) return true;
  size_t colon = href.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = href[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) return false;
  }
  return true;
}

std::string strip_dot_slash(std::string p) {
  while (starts_with(p, "./")) p = p.substr(2);
  return p;
}

// Line of the n-th (0-based) occurrence of `needle` in `text`; 0 when absent.
int line_of_occurrence(const std::string& text, const std::string& needle, int nth) {
  size_t pos = 0;
  for (int k = 0;; ++k) {
    pos = text.find(needle, pos);
    if (pos == std::string::npos) return 0;
    if (k == nth) return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
    ++pos;
  }
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Copies src → dst only when the bytes differ; returns true when written.
bool sync_file(const fs::path& src, const fs::path& dst) {
  std::error_code ec;
  if (fs::exists(dst, ec) && fs::file_size(src, ec) == fs::file_size(dst, ec) &&
      fs::last_write_time(src, ec) <= fs::last_write_time(dst, ec))
    return false;
  write_file(dst, read_file(src));
  return true;
}

// [SECTION] the pipeline: load → render → check → outputs ----------------------

BuildResult SiteBuilder::run() {
  auto t0 = std::chrono::steady_clock::now();
  load();
  if (result_.ok()) {
    render_all();
    check_all();
    check_bundles();
  }
  if (result_.ok() && opt_.write) write_all();
  result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return std::move(result_);
}

void SiteBuilder::load() {
  summary_shown_ = shown("SUMMARY.md");
  if (!read_file_if_exists(opt_.content_dir / "SUMMARY.md", summary_text_)) {
    error(summary_shown_, 0, "cannot read the table of contents (is --content right?)");
    return;
  }
  book_ = parse_summary(summary_text_, summary_shown_, result_.errors);
}

void SiteBuilder::render_all() {
  pages_.resize(book_.chapters.size());
  for (size_t i = 0; i < book_.chapters.size(); ++i) {
    Page& p = pages_[i];
    const Chapter& ch = book_.chapters[i];
    p.chapter = &ch;
    p.shown = shown(ch.source);
    if (!read_file_if_exists(opt_.content_dir / ch.source, p.markdown)) {
      p.missing = true;
      result_.warnings.push_back(summary_shown_ + ":" + std::to_string(ch.line) + ": '" + ch.source +
                                 "' does not exist yet; a placeholder page was generated");
      p.markdown = "# " + ch.title + "\n\nThis chapter has not been written yet.\n";
    }
    RenderOptions ro;
    ro.shown_file = p.shown;
    ro.source_dir = opt_.content_dir;
    ro.page_href = ch.output;
    p.rendered = render_markdown(p.markdown, ro, result_.errors);
    result_.chapters.push_back({ch.source, ch.title, p.rendered.words, p.rendered.widgets, p.missing});
  }
}

BuildResult build_site(const SiteOptions& options) { return SiteBuilder(options).run(); }

std::string word_count_table(const BuildResult& r) {
  size_t width = 7;
  for (const auto& c : r.chapters) width = std::max(width, c.source.size());
  std::string out;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-*s %8s %8s\n", static_cast<int>(width), "chapter", "words", "widgets");
  out += buf;
  size_t total = 0;
  int widgets = 0;
  for (const auto& c : r.chapters) {
    std::snprintf(buf, sizeof buf, "%-*s %8zu %8d%s\n", static_cast<int>(width), c.source.c_str(), c.words, c.widgets,
                  c.missing ? "  (missing)" : "");
    out += buf;
    total += c.words;
    widgets += c.widgets;
  }
  std::snprintf(buf, sizeof buf, "%-*s %8zu %8d\n", static_cast<int>(width), "total", total, widgets);
  out += buf;
  return out;
}

}  // namespace scalebook::site
