// site_builder.h — the site build's steps, internal to src/site. site.cpp runs them as a
// pipeline: load → render → check → outputs. Each step's code lives in its own file:
//   site.cpp          load SUMMARY.md, render every chapter (markdown.cpp's passes)
//   site_checks.cpp   links, anchors, images, duplicate ids, one bundle per widget set
//   site_chrome.cpp   sidebar, outline, pager, the page template
//   site_outputs.cpp  chapter pages, cover, 404, search index, assets, sitemap, worker
//   site_print.cpp    the whole book on one page
//   site_gallery.cpp  the widget gallery (widgets.html), from the catalog
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "site/book.h"
#include "site/markdown.h"
#include "site/site.h"

namespace scalebook::site {

namespace fs = std::filesystem;

struct Page {
  const Chapter* chapter = nullptr;
  std::string shown;  // "content/file.md"
  std::string markdown;
  RenderedPage rendered;
  bool missing = false;
};

// Helpers shared by the steps (site.cpp).
std::string shown_dir(const fs::path& dir);
bool is_external(const std::string& href);
std::string strip_dot_slash(std::string p);
int line_of_occurrence(const std::string& text, const std::string& needle, int nth);  // 0 when absent
std::string percent_decode(const std::string& s);
bool sync_file(const fs::path& src, const fs::path& dst);  // copies only when the bytes differ

// Pages the build writes beside the chapters; links to them are valid.
inline constexpr const char* kGeneratedPages[] = {"index.html", "print.html", "404.html", "widgets.html"};

class SiteBuilder {
 public:
  explicit SiteBuilder(const SiteOptions& o) : opt_(o) {
    web_ = opt_.web_dir.empty() ? default_web_dir() : opt_.web_dir;
  }

  BuildResult run();

 private:
  const SiteOptions& opt_;
  fs::path web_;
  BuildResult result_;
  Book book_;
  std::string summary_shown_;
  std::string summary_text_;
  std::vector<Page> pages_;
  std::vector<std::string> outputs_;  // every file written, relative to out (for the service worker)
  std::string page_template_;

  std::string shown(const std::string& file) const { return shown_dir(opt_.content_dir) + "/" + file; }
  void error(const std::string& file, int line, const std::string& m) { result_.errors.push_back({file, line, m}); }

  // load and render (site.cpp)
  void load();
  void render_all();

  // check (site_checks.cpp)
  const Page* page_for_source(const std::string& source) const;
  const Page* page_for_output(const std::string& output) const;
  std::string check_target(const Page* from, const std::string& href_in, bool image) const;  // "" when fine
  void check_all();
  void check_bundles();

  // page chrome (site_chrome.cpp)
  struct Link {
    std::string href, title;
  };
  std::string sidebar(const Chapter* current) const;
  static std::string outline(const RenderedPage& r);
  static std::string pager(const Link& prev, const Link& next);
  std::string absolute(const std::string& rel) const;
  std::string page_html(const std::string& title, const std::string& description, const std::string& href,
                        const std::string& body_class, const std::string& sidebar_html, const std::string& content,
                        const std::string& outline_html, const std::string& pager_html, const Link& prev, const Link& next) const;

  // outputs (site_outputs.cpp, site_print.cpp, site_gallery.cpp)
  void emit(const std::string& rel, const std::string& content);
  void write_all();
  void write_chapters();
  std::string book_description() const;
  void write_cover();
  void write_print();
  void write_gallery();
  void write_404();
  void write_search_index();
  void copy_tree(const fs::path& from, const fs::path& to, const std::vector<fs::path>& skip_dirs);
  void copy_assets();
  void write_sitemap();
  void write_manifest_and_worker();
};

}  // namespace scalebook::site
