// site_bundles_test.cpp — which widget bundle a page gets (issue #18 item 5): the book
// build refuses a page whose set of widgets has no bundle of its own (the loader would fall
// back to a bigger one and blow the page's download budget), and `scalebook render`
// inlines exactly one bundle holding the post's widgets, with an index naming only it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "site/render_post.h"
#include "site/site.h"
#include "site/text.h"

namespace fs = std::filesystem;
using namespace scalebook::site;

namespace {

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}
bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }
std::string errors_text(const std::vector<Diagnostic>& errors) {
  std::string s;
  for (const auto& e : errors) s += e.str() + "\n";
  return s;
}

struct Fixture {
  fs::path root;
  Fixture() {
    root = fs::temp_directory_path() /
           ("sb-bundles-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    write(root / "content" / "SUMMARY.md", "# Book\n- [One](one.md)\n- [Two](two.md)\n");
    write(root / "content" / "one.md", "# One\n\nText.\n\n```widget hello\n```\n");
    write(root / "content" / "two.md", "# Two\n\nText.\n\n```widget rate-limiter\n```\n\n```widget hello\nwaves = 3\n```\n");
    // A bundle directory as src/platform/web/CMakeLists.txt lays it out (contents are stand-ins).
    write(root / "bundle" / "scalebook-widgets.index.js", "window.ScalebookBundleIndex={};\n");
    for (const char* stem : {"scalebook-widgets.hello", "scalebook-widgets.rate-limiter", "scalebook-widgets"})
      for (const char* ext : {".js", ".wasm", ".wasm.js"}) write(root / "bundle" / (std::string(stem) + ext), std::string("/*") + stem + ext + "*/");
  }
  ~Fixture() { fs::remove_all(root); }
  SiteOptions site() const {
    SiteOptions o;
    o.content_dir = root / "content";
    o.out_dir = root / "site";
    o.web_dir = fs::path(SCALEBOOK_SOURCE_DIR) / "web";
    o.bundle_dir = root / "bundle";
    return o;
  }
};

}  // namespace

TEST(SiteBundles, BuildRefusesAPageWhoseWidgetSetHasNoBundleNamingTheFileAndTheFix) {
  Fixture f;
  BuildResult r = build_site(f.site());
  ASSERT_FALSE(r.ok());
  std::string e = errors_text(r.errors);
  EXPECT_TRUE(contains(e, "two.md")) << e;
  EXPECT_TRUE(contains(e, "the page shows the widgets hello, rate-limiter")) << e;
  EXPECT_TRUE(contains(e, "scalebook-widgets.hello+rate-limiter.js")) << e;
  EXPECT_TRUE(contains(e, "reconfigure the Wasm build")) << e;
  EXPECT_FALSE(contains(e, "one.md")) << "a page of one widget has that widget's bundle: " << e;
}

TEST(SiteBundles, BuildPassesOnceTheSetHasItsBundleAndWithoutPlannedBundles) {
  Fixture f;
  for (const char* ext : {".js", ".wasm", ".wasm.js"}) write(f.root / "bundle" / (std::string("scalebook-widgets.hello+rate-limiter") + ext), "x");
  BuildResult r = build_site(f.site());
  EXPECT_TRUE(r.ok()) << errors_text(r.errors);
  EXPECT_TRUE(fs::exists(f.root / "site" / "assets" / "scalebook-widgets.hello+rate-limiter.wasm"));
  // A bundle directory without an index (an older or hand-made one) is not checked.
  fs::remove(f.root / "bundle" / "scalebook-widgets.index.js");
  fs::remove(f.root / "bundle" / "scalebook-widgets.hello+rate-limiter.js");
  r = build_site(f.site());
  EXPECT_TRUE(r.ok()) << errors_text(r.errors);
}

TEST(SiteBundles, RenderInlinesTheOneBundleOfThePostsSetWithAnIndexOfOnlyIt) {
  Fixture f;
  for (const char* ext : {".js", ".wasm", ".wasm.js"}) write(f.root / "bundle" / (std::string("scalebook-widgets.hello+rate-limiter") + ext), std::string("/*set") + ext + "*/");
  PostOptions o;
  o.input = f.root / "content" / "two.md";
  o.output = f.root / "post.html";
  o.web_dir = fs::path(SCALEBOOK_SOURCE_DIR) / "web";
  o.bundle_dir = f.root / "bundle";
  PostResult r = render_post(o);
  ASSERT_TRUE(r.errors.empty()) << errors_text(r.errors);
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  std::string html = read_file(o.output);
  EXPECT_TRUE(contains(html, "window.ScalebookBundleIndex={\"hello+rate-limiter\":[\"hello\",\"rate-limiter\"]};")) << html.substr(0, 400);
  EXPECT_TRUE(contains(html, "/*set.js*/"));
  EXPECT_TRUE(contains(html, "/*set.wasm.js*/"));
  EXPECT_FALSE(contains(html, "/*scalebook-widgets.hello.js*/")) << "only the chosen bundle is inlined";
  EXPECT_FALSE(contains(html, "/*scalebook-widgets.js*/"));
}

TEST(SiteBundles, RenderFallsBackToAllThenToOneBundlePerWidgetAndSaysSo) {
  Fixture f;
  PostOptions o;
  o.input = f.root / "content" / "two.md";
  o.output = f.root / "post.html";
  o.web_dir = fs::path(SCALEBOOK_SOURCE_DIR) / "web";
  o.bundle_dir = f.root / "bundle";
  PostResult r = render_post(o);
  ASSERT_TRUE(r.errors.empty());
  std::string html = read_file(o.output);
  EXPECT_TRUE(contains(html, "window.ScalebookBundleIndex={\"all\":[\"hello\",\"rate-limiter\"]};"));
  EXPECT_TRUE(contains(html, "/*scalebook-widgets.js*/"));
  EXPECT_TRUE(r.warnings.empty());
  for (const char* ext : {".js", ".wasm", ".wasm.js"}) fs::remove(f.root / "bundle" / (std::string("scalebook-widgets") + ext));
  r = render_post(o);
  html = read_file(o.output);
  EXPECT_TRUE(contains(html, "window.ScalebookBundleIndex={\"hello\":[\"hello\"],\"rate-limiter\":[\"rate-limiter\"]};"));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_TRUE(contains(r.warnings[0], "loads 2 bundles, each with its own copy of the core")) << r.warnings[0];
}
