// site_fence_test.cpp — ```widget fences: parsing, validation against the
// catalog, the rendered element, and the end-to-end promise that a bad fence
// fails `scalebook build` with FILE:LINE: message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <string>

#include "site/markdown.h"
#include "site/widget_fence.h"
#include "widgets/catalog.h"

namespace fs = std::filesystem;
using scalebook::site::Diagnostic;
using scalebook::site::WidgetFence;

namespace {

struct RunResult {
  int exit_code = -1;
  std::string output;
};

RunResult run(const std::string& command) {
  RunResult r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// A temporary book: <tmp>/content/{SUMMARY.md, chapter.md}.
struct TempBook {
  fs::path root;
  explicit TempBook(const std::string& chapter) {
    root = fs::temp_directory_path() / ("sb-fence-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    write(root / "content" / "SUMMARY.md", "# Test book\n\n- [Chapter](chapter.md)\n");
    write(root / "content" / "chapter.md", chapter);
  }
  ~TempBook() { fs::remove_all(root); }
  RunResult build() const {
    return run("cd '" + root.string() + "' && '" SCALEBOOK_TOOL "' build --content content --out site --web '" SCALEBOOK_SOURCE_DIR "/web'");
  }
};

std::vector<Diagnostic> parse(const std::string& info, const std::string& body, WidgetFence& out, int fence_line = 10) {
  std::vector<Diagnostic> errors;
  scalebook::site::parse_widget_fence(info, body, fence_line, "content/x.md", out, errors);
  return errors;
}

}  // namespace

TEST(SiteFence, UnknownWidgetFailsTheBuildWithFileLineMessage) {
  TempBook book("# Chapter\n\nSome text.\n\n```widget no-such-widget\nspeed = 1\n```\n");
  RunResult r = book.build();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  // The fence is on line 5 of content/chapter.md.
  EXPECT_NE(r.output.find("content/chapter.md:5: unknown widget 'no-such-widget' (known: " + scalebook::widgets::widget_names() + ")"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(book.root / "site" / "chapter.html")) << "a failed build must not publish pages";
}

TEST(SiteFence, EveryErrorIsReportedNotJustTheFirst) {
  TempBook book(
      "# Chapter\n\n```widget hello\n# a comment\n\nspeed = fast\nwaves = 3\nwaves = 4\ncolour = red\nnot a pair\n```\n\n"
      "```widget nope\n```\n");
  RunResult r = book.build();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("content/chapter.md:6: widget 'hello' parameter 'speed': expected a number, got \"fast\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("content/chapter.md:8: duplicate key 'waves'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("content/chapter.md:9: unknown parameter 'colour' for widget 'hello'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("content/chapter.md:10: expected 'key = value'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("content/chapter.md:13: unknown widget 'nope'"), std::string::npos) << r.output;
}

TEST(SiteFence, ValidFenceBuildsAndBecomesTheWidgetElement) {
  TempBook book("# Chapter\n\n```widget hello\nspeed = 2.5\nwaves = 4\n```\n");
  RunResult r = book.build();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(book.root / "site" / "chapter.html");
  std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<scalebook-widget name=\"hello\" speed=\"2.5\" waves=\"4\">"), std::string::npos);
  EXPECT_NE(html.find("<script src=\"assets/scalebook.js\" defer></script>"), std::string::npos);
}

TEST(SiteFence, OutOfRangeNamesTheKeyLine) {
  WidgetFence f;
  auto errors = parse("widget hello", "speed = 1\n\nwaves = 99\n", f, 20);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 23);
  EXPECT_EQ(errors[0].str(), "content/x.md:23: widget 'hello' parameter 'waves': value 99 is out of range [1, 12]");
}

TEST(SiteFence, InfoStringWithExtraWordsIsRejectedAtTheFenceLine) {
  WidgetFence f;
  auto errors = parse("widget hello speed=2", "", f, 7);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 7);
  errors = parse("widget", "", f, 8);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 8);
}

TEST(SiteFence, AttributeValuesAreEscapedAndCaptionOverrides) {
  WidgetFence f;
  f.widget = scalebook::widgets::find_widget("hello");
  ASSERT_NE(f.widget, nullptr);
  f.params = {{"speed", "1\"><script>"}};  // never valid, but rendering must still escape
  f.caption = "Waves & <crests>";
  std::string html = scalebook::site::render_widget_html(f);
  EXPECT_NE(html.find("speed=\"1&quot;&gt;&lt;script&gt;\""), std::string::npos) << html;
  EXPECT_NE(html.find("<figcaption>Waves &amp; &lt;crests&gt;</figcaption>"), std::string::npos) << html;
  EXPECT_NE(html.find("<div class=\"sb-fallback\"><p><strong>Interactive widget: Hello, widget.</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("<noscript><p>This simulation needs JavaScript and WebAssembly.</p></noscript>"), std::string::npos);
}

TEST(SiteFence, DefaultCaptionIsTitleAndFirstSentence) {
  WidgetFence f;
  ASSERT_TRUE(parse("widget hello", "speed = 3\n", f).empty());
  std::string html = scalebook::site::render_widget_html(f);
  const auto* w = scalebook::widgets::find_widget("hello");
  std::string expected = "<figcaption>" + std::string(w->title) + " — " + scalebook::site::first_sentence(w->description);
  EXPECT_NE(html.find(expected), std::string::npos) << html;
  EXPECT_EQ(scalebook::site::first_sentence("One thing. Two things."), "One thing.");
}

TEST(SiteFence, EveryCatalogWidgetAcceptsItsDefaults) {
  // A fence listing every parameter at its default must validate: the catalog's
  // defaults and the site tool's validation agree for every widget.
  for (const auto& w : scalebook::widgets::catalog()) {
    std::string body;
    for (const auto& p : w.params) body += std::string(p.name) + " = " + std::string(p.default_value) + "\n";
    WidgetFence f;
    auto errors = parse("widget " + std::string(w.name), body, f);
    EXPECT_TRUE(errors.empty()) << w.name << ": " << (errors.empty() ? "" : errors[0].str());
    EXPECT_EQ(f.params.size(), w.params.size());
  }
}

// Valid one by one, invalid together: the fence fails `scalebook build`/`check` at the line
// of the parameter the widget's cross-parameter check names (issue #14 item 2).
TEST(SiteFence, ACombinationTheWidgetCannotRunFailsAtTheNamedParametersLine) {
  WidgetFence f;
  auto errors = parse("widget sharding", "strategy = ring\n# the split needs a range partition\noperation = split-hot-range\n", f, 30);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].str(),
            "content/x.md:33: widget 'sharding': parameter 'operation': split-hot-range needs strategy=range");
  // A preset plus an override that breaks it: the same rule.
  WidgetFence g;
  EXPECT_TRUE(parse("widget sharding", "strategy = range\noperation = split-hot-range\n", g).empty());
  TempBook book("# Chapter\n\n```widget sharding\nstrategy = ring\noperation = split-hot-range\n```\n");
  RunResult r = book.build();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("content/chapter.md:5: widget 'sharding': parameter 'operation': split-hot-range needs strategy=range"),
            std::string::npos)
      << r.output;
}
