// render_post.h — `scalebook render post.md -o post.html`: one standalone page
// for a blog post, with working widgets.
//
// By default the page is self-contained: the stylesheet, the Wasm bundle's
// scripts and the widget loader are inlined, so the single .html file works
// from anywhere (including file://, since the bundle is built SINGLE_FILE).
// With inline_assets = false the page references assets/… relatively and the
// result lists the files to copy next to it.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "site/book.h"

namespace scalebook::site {

struct PostOptions {
  std::filesystem::path input;
  std::filesystem::path output;
  std::filesystem::path web_dir;
  std::filesystem::path bundle_dir;
  bool inline_assets = true;
};

struct PostResult {
  std::vector<Diagnostic> errors;
  std::vector<std::string> warnings;
  std::vector<std::string> notes;  // what to copy, etc.
};

PostResult render_post(const PostOptions& options);

}  // namespace scalebook::site
