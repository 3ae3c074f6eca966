// markdown.h — one Markdown page → HTML through cmark-gfm plus our passes.
//
// Passes, in order, over the cmark AST (each a small function in markdown.cpp):
//   collect     heading ids (slug or explicit {#id}), outline, search sections, words
//   links       relative .md links → .html (fragment kept); every link/image recorded
//   code        ```widget NAME fences → <scalebook-widget>; other fences highlighted
//   figures     a lone image with a title → <figure>; local .svg inlined and sanitised
//   callouts    > [!NOTE] / [!TIP] / [!IMPORTANT] / [!WARNING] / [!CAUTION] → <aside>
//   headings    <hN id> with a "#" anchor link
//   tables      wrapped in a scroll container (no page-wide horizontal scroll; book.js
//               makes overflowing ones focusable, labelled regions)
#pragma once
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "site/book.h"

namespace scalebook::site {

struct Heading {
  int level = 0;
  std::string id;
  std::string text;  // plain text
  int line = 0;
};

struct SearchSection {
  std::string id;     // "" = top of page
  std::string title;  // heading text ("" for the text before the first heading)
  std::string text;   // plain text
};

struct LinkRef {
  std::string href;  // as written
  int line = 0;
  bool image = false;
};

struct RenderOptions {
  std::string shown_file;                // "content/file.md" in diagnostics
  std::filesystem::path source_dir;      // where relative images live
  std::string id_prefix;                 // prefixed to every generated id (print.html)
  bool static_widgets = false;           // print: widgets become static figures
  std::string page_href;                 // this page's URL in the site, e.g. "file.html"
  // Maps a link target as written to the href to emit; default: .md → .html.
  std::function<std::string(const std::string&)> rewrite_href;
};

struct RenderedPage {
  std::string html;
  std::string h1;           // text of the first level-1 heading ("" if none)
  std::string description;  // first paragraph, plain text, ≤ 160 chars
  std::vector<Heading> headings;
  std::vector<SearchSection> sections;
  std::vector<LinkRef> links;
  std::set<std::string> ids;  // every id in the output (for anchor checks)
  size_t words = 0;           // prose words (code excluded)
  int widgets = 0;
  std::set<std::string> widget_names;  // the distinct widgets its fences show (bundle choice)
};

// Renders `markdown`. Problems (bad widget fences, duplicate explicit ids) are
// appended to `errors` with file:line; rendering still produces output.
RenderedPage render_markdown(const std::string& markdown, const RenderOptions& options, std::vector<Diagnostic>& errors);

// Plain cmark-gfm rendering with the same extensions and options and none of our
// passes (used to check our passes leave ordinary Markdown alone).
std::string render_plain_cmark(const std::string& markdown);

}  // namespace scalebook::site
