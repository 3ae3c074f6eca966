// site.h — the whole book: load SUMMARY.md → render every chapter → check links,
// anchors, images and ids → write pages, search index, print page, 404, sitemap,
// manifest, service worker and assets into the output folder.
//
// Output is flat (every page in the root, assets in assets/) and uses relative
// links only, so it works from any sub-path, a zip, or file://.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "site/book.h"

namespace scalebook::site {

struct SiteOptions {
  std::filesystem::path content_dir = "content";
  std::filesystem::path out_dir = "build/site";
  std::filesystem::path web_dir;     // templates + static files; empty = default_web_dir()
  std::filesystem::path bundle_dir;  // Wasm bundle files copied into assets/; optional
  std::string site_url;              // absolute base URL for sitemap/og:url; "" = relative
  bool live_reload = false;          // pages poll assets/build-stamp.js (serve)
  bool write = true;                 // false: render and check only (scalebook check)
};

struct ChapterReport {
  std::string source;
  std::string title;
  size_t words = 0;
  int widgets = 0;
  bool missing = false;
};

struct BuildResult {
  std::vector<Diagnostic> errors;
  std::vector<std::string> warnings;
  std::vector<ChapterReport> chapters;
  int pages_written = 0;
  double seconds = 0;
  bool ok() const { return errors.empty(); }
};

// "web" under the current directory when it exists, else the source tree's web/.
std::filesystem::path default_web_dir();

BuildResult build_site(const SiteOptions& options);

// The word-count table printed by `scalebook check`.
std::string word_count_table(const BuildResult& result);

}  // namespace scalebook::site
