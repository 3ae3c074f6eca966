// site_loader_test.cpp — the widget loader assembled from web/loader/ (src/site/loader.h,
// issue #14 item 7): the parts run in file-name order inside one strict function scope,
// the stylesheet travels as a JS string without its documenting comment, the result is
// deterministic, the book's build ships it as assets/scalebook.js (and not the sources),
// and a bad source tree is an error naming the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "site/loader.h"
#include "site/site.h"
#include "site/text.h"

namespace fs = std::filesystem;
using namespace scalebook::site;

namespace {

fs::path scratch() {
  fs::path root = fs::temp_directory_path() / ("sb-loader-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(root);
  return root;
}

std::size_t at(const std::string& hay, const std::string& needle) {
  const auto i = hay.find(needle);
  EXPECT_NE(i, std::string::npos) << "missing: " << needle;
  return i;
}

}  // namespace

TEST(SiteLoader, PartsRunInFileNameOrderInsideOneStrictScopeWithTheStylesheetAsAString) {
  const fs::path web = scratch() / "web";
  write_file(web / "loader" / "20-second.js", "var second = 2;\n");
  write_file(web / "loader" / "10-first.js", "var first = 1;");  // no final newline: one is added
  write_file(web / "loader" / "widget.css", "/* the widgets' stylesheet,\n   documented here */\na{color:\"red\"}\nb{x:1}\n");
  const LoaderResult r = assemble_loader(web);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.js.rfind("/* scalebook.js", 0), 0u);
  const std::size_t open = at(r.js, "(function () {\n'use strict';\n");
  const std::size_t css = at(r.js, "var WIDGET_CSS = \"a{color:\\\"red\\\"}\\nb{x:1}\";\n");
  const std::size_t first = at(r.js, "var first = 1;\n");
  const std::size_t second = at(r.js, "var second = 2;\n");
  EXPECT_LT(open, css);
  EXPECT_LT(css, first);
  EXPECT_LT(first, second);
  EXPECT_EQ(r.js.substr(r.js.size() - 6), "})();\n");
  EXPECT_EQ(r.js.find("documented here"), std::string::npos) << "the stylesheet's comment is not shipped";
  EXPECT_EQ(assemble_loader(web).js, r.js) << "deterministic";
}

TEST(SiteLoader, ABadSourceTreeIsAnErrorNamingTheFile) {
  const fs::path root = scratch();
  LoaderResult r = assemble_loader(root / "web");
  EXPECT_EQ(r.file, (root / "web" / "loader").generic_string());
  EXPECT_NE(r.error.find("sources are missing"), std::string::npos) << r.error;
  EXPECT_EQ(r.js, "");

  write_file(root / "web" / "loader" / "10-a.js", "var a;\n");
  r = assemble_loader(root / "web");
  EXPECT_EQ(r.file, (root / "web" / "loader" / "widget.css").generic_string());
  EXPECT_NE(r.error.find("cannot be read"), std::string::npos) << r.error;

  write_file(root / "web" / "loader" / "widget.css", "a{}\n");
  write_file(root / "web" / "loader" / "helpers.js", "var h;\n");
  r = assemble_loader(root / "web");
  EXPECT_EQ(r.file, (root / "web" / "loader" / "helpers.js").generic_string());
  EXPECT_NE(r.error.find("expected NN-name.js"), std::string::npos) << r.error;
  EXPECT_EQ(r.js, "");
}

// The real sources: every part is in the shipped script, in order; the book's build writes
// it as assets/scalebook.js and does not copy web/loader/ itself.
TEST(SiteLoader, TheBookShipsTheAssembledLoaderAndNotItsSources) {
  const fs::path web = fs::path(SCALEBOOK_SOURCE_DIR) / "web";
  const LoaderResult r = assemble_loader(web);
  ASSERT_EQ(r.error, "") << r.file;
  std::size_t last = 0;
  int parts = 0;
  for (const char* name : {"10-config.js", "20-runtime.js", "40-permalink.js", "60-widget.js", "90-element.js"}) {
    std::string text;
    ASSERT_TRUE(read_file_if_exists(web / "loader" / name, text)) << name;
    const std::size_t i = r.js.find(text);
    ASSERT_NE(i, std::string::npos) << name << " is not in the assembled loader verbatim";
    EXPECT_GT(i, last) << name << " out of order";
    last = i;
    ++parts;
  }
  EXPECT_EQ(parts, 5);
  EXPECT_NE(r.js.find("customElements.define('scalebook-widget'"), std::string::npos);

  const fs::path root = scratch();
  write_file(root / "content" / "SUMMARY.md", "# Book\n- [One](one.md)\n");
  write_file(root / "content" / "one.md", "# One\n\nText.\n");
  SiteOptions o;
  o.content_dir = root / "content";
  o.out_dir = root / "site";
  o.web_dir = web;
  const BuildResult b = build_site(o);
  ASSERT_TRUE(b.ok());
  std::string shipped;
  ASSERT_TRUE(read_file_if_exists(root / "site" / "assets" / "scalebook.js", shipped));
  EXPECT_EQ(shipped, r.js);
  EXPECT_FALSE(fs::exists(root / "site" / "assets" / "loader")) << "the loader's sources are not shipped";
  EXPECT_TRUE(fs::exists(root / "site" / "assets" / "book.js"));
}
