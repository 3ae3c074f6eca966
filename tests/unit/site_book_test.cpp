// site_book_test.cpp — the table of contents parser, slugs, and whole-book
// builds: link/anchor/image/id checks with file:line, the generated pages
// (sidebar, pager, outline, search index, print page, sitemap, 404, worker).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "site/book.h"
#include "site/site.h"
#include "site/text.h"
#include "widgets/catalog.h"

namespace fs = std::filesystem;
using namespace scalebook::site;

namespace {

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string errors_text(const BuildResult& r) {
  std::string s;
  for (const auto& e : r.errors) s += e.str() + "\n";
  return s;
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("sb-book-" + std::to_string(::getpid()) + "-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

SiteOptions options_for(const TempDir& t) {
  SiteOptions o;
  o.content_dir = t.path / "content";
  o.out_dir = t.path / "site";
  o.web_dir = fs::path(SCALEBOOK_SOURCE_DIR) / "web";
  return o;
}

const char* kSummary =
    "# My Book\n"
    "<!-- a comment\n spanning lines -->\n"
    "[Preface](preface.md)\n"
    "\n"
    "# Part One\n"
    "- [First](first.md)\n"
    "  - [Details](first.md#details)\n"
    "  - [Sub page](sub.md)\n"
    "# Part Two\n"
    "- [Second](second.md)\n";

}  // namespace

TEST(SiteBook, SummaryParsesTitlePartsChaptersSectionsAndSubPages) {
  std::vector<Diagnostic> errors;
  Book b = parse_summary(kSummary, "SUMMARY.md", errors);
  ASSERT_TRUE(errors.empty()) << errors[0].str();
  EXPECT_EQ(b.title, "My Book");
  ASSERT_EQ(b.parts.size(), 2u);
  EXPECT_EQ(b.parts[0].title, "Part One");
  ASSERT_EQ(b.chapters.size(), 4u);
  EXPECT_EQ(b.chapters[0].source, "preface.md");
  EXPECT_EQ(b.chapters[0].part, -1);
  EXPECT_EQ(b.chapters[1].output, "first.html");
  EXPECT_EQ(b.chapters[1].part, 0);
  ASSERT_EQ(b.chapters[1].sections.size(), 1u);
  EXPECT_EQ(b.chapters[1].sections[0].href, "first.md#details");
  EXPECT_EQ(b.chapters[1].sections[0].line, 8);
  EXPECT_EQ(b.chapters[2].source, "sub.md");
  EXPECT_EQ(b.chapters[2].depth, 1);
  EXPECT_EQ(b.chapters[3].part, 1);
  EXPECT_EQ(b.chapters[3].line, 11);
}

TEST(SiteBook, SummaryErrorsNameTheLine) {
  std::vector<Diagnostic> errors;
  parse_summary("# Book\n- [A](a.md)\n- just text\n- [B](b.txt)\n- [A again](a.md)\n- [C](dir/c.md)\n", "content/SUMMARY.md", errors);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].str(), "content/SUMMARY.md:3: expected '- [Title](file.md)', got \"- just text\"");
  EXPECT_EQ(errors[1].line, 4);
  EXPECT_EQ(errors[2].str(), "content/SUMMARY.md:5: 'a.md' is listed twice in the table of contents");
  EXPECT_EQ(errors[3].line, 6);
}

TEST(SiteBook, SlugsFollowGitHub) {
  // Examples checked against GitHub's rendering of README headings.
  EXPECT_EQ(slugify("Hello, World!"), "hello-world");
  EXPECT_EQ(slugify("4.6 Twitter/X — Real-Time Feed"), "46-twitterx--real-time-feed");
  EXPECT_EQ(slugify("2.3 Caching — The Complete Guide"), "23-caching--the-complete-guide");
  EXPECT_EQ(slugify("What's new in C++20?"), "whats-new-in-c20");
  EXPECT_EQ(slugify("snake_case and kebab-case"), "snake_case-and-kebab-case");
  EXPECT_EQ(slugify("Ünïcödé 日本語"), "ünïcödé-日本語");
  IdAllocator ids;
  EXPECT_EQ(ids.unique("a"), "a");
  EXPECT_EQ(ids.unique("a"), "a-1");
  EXPECT_EQ(ids.unique("a"), "a-2");
  EXPECT_EQ(ids.unique("a-1"), "a-1-1");
}

TEST(SiteBook, CheckReportsBrokenLinksAnchorsImagesAndIdsWithFileLine) {
  TempDir t;
  write(t.path / "content" / "SUMMARY.md", "- [One](one.md)\n  - [Bad section](one.md#nope)\n- [Two](two.md)\n");
  write(t.path / "content" / "one.md",
        "# One\n\n## Details\n\n"
        "Good: [two](two.md#deep), [self](#details), [ext](https://example.com), [raw](#raw-id).\n\n"  // line 5
        "Bad: [missing page](three.md) and [bad anchor](two.md#shallow).\n\n"                          // line 7
        "![missing](figures/none.png)\n\n"                                                              // line 9
        "<span id=\"raw-id\"></span>\n\n"                                                               // line 11
        "<span id=\"raw-id\"></span>\n\n"                                                               // line 13
        "[abs](/one.html)\n");                                                                          // line 15
  write(t.path / "content" / "two.md", "# Two\n\n## Deep\n");
  SiteOptions o = options_for(t);
  o.write = false;
  BuildResult r = build_site(o);
  std::string c = (t.path / "content").generic_string();
  std::string errs = errors_text(r);
  EXPECT_TRUE(contains(errs, c + "/one.md:7: no such chapter 'three.md'")) << errs;
  EXPECT_TRUE(contains(errs, c + "/one.md:7: broken anchor '#shallow': no heading or element with that id in two.md")) << errs;
  EXPECT_TRUE(contains(errs, c + "/one.md:9: missing image 'figures/none.png'")) << errs;
  EXPECT_TRUE(contains(errs, c + "/one.md:13: duplicate id 'raw-id'")) << errs;
  EXPECT_TRUE(contains(errs, c + "/one.md:15: absolute path '/one.html'")) << errs;
  EXPECT_TRUE(contains(errs, c + "/SUMMARY.md:2: broken anchor '#nope'")) << errs;
  EXPECT_EQ(r.errors.size(), 6u) << errs;
  EXPECT_FALSE(fs::exists(t.path / "site")) << "check writes nothing";
  ASSERT_EQ(r.chapters.size(), 2u);
  EXPECT_EQ(r.chapters[1].words, 2u);  // "Two", "Deep"
  std::string table = word_count_table(r);
  EXPECT_TRUE(contains(table, "total")) << table;
}

TEST(SiteBook, BuildWritesTheWholeSiteWithRelativeLinksOnly) {
  TempDir t;
  write(t.path / "content" / "SUMMARY.md", kSummary);
  write(t.path / "content" / "preface.md", "# Preface\n\nWelcome to the *book* about queues.\n");
  write(t.path / "content" / "first.md",
        "# First\n\nFirst paragraph describes first things.\n\n## Details\n\nSee [second](second.md#later).\n\n"
        "```widget hello\nspeed = 2\n```\n");
  write(t.path / "content" / "sub.md", "# Sub page\n\nSub text.\n");
  write(t.path / "content" / "second.md", "# Second\n\n## Later\n\nBack to [first](first.md#details). Zanzibar.\n");
  write(t.path / "content" / "figures" / "a.png", "png");
  SiteOptions o = options_for(t);
  BuildResult r = build_site(o);
  ASSERT_TRUE(r.ok()) << errors_text(r);
  fs::path s = t.path / "site";
  for (const char* f : {"index.html", "preface.html", "first.html", "sub.html", "second.html", "print.html", "404.html",
                        "sitemap.xml", "manifest.webmanifest", "sw.js", "assets/book.css", "assets/book.js",
                        "assets/search-index.js", "assets/build-stamp.js", "figures/a.png"})
    EXPECT_TRUE(fs::exists(s / f)) << f;
  std::string first = read_file(s / "first.html");
  // head: title, description, Open Graph, the loader
  EXPECT_TRUE(contains(first, "<title>First — My Book</title>"));
  EXPECT_TRUE(contains(first, "<meta name=\"description\" content=\"First paragraph describes first things.\">"));
  EXPECT_TRUE(contains(first, "<meta property=\"og:title\" content=\"First\">"));
  EXPECT_TRUE(contains(first, "<script src=\"assets/scalebook.js\" defer></script>"));
  // sidebar marks the current page; sections of the current chapter are listed
  EXPECT_TRUE(contains(first, "<nav class=\"sb-sidebar\""));
  EXPECT_TRUE(contains(first, "<a href=\"first.html\" aria-current=\"page\">First</a>"));
  EXPECT_TRUE(contains(first, "<a href=\"first.html#details\">Details</a>"));
  // pager in reading order: preface → first → sub → second
  EXPECT_TRUE(contains(first, "rel=\"prev\" href=\"preface.html\""));
  EXPECT_TRUE(contains(first, "rel=\"next\" href=\"sub.html\""));
  // outline and rewritten links
  EXPECT_TRUE(contains(first, "<nav class=\"sb-outline\""));
  EXPECT_TRUE(contains(first, "<a href=\"second.html#later\">second</a>"));
  EXPECT_TRUE(contains(first, "<scalebook-widget name=\"hello\" speed=\"2\">"));
  // no absolute URLs anywhere in the pages (relative links only)
  for (const char* f : {"index.html", "first.html", "print.html", "404.html"}) {
    std::string html = read_file(s / f);
    EXPECT_FALSE(contains(html, "href=\"/")) << f;
    EXPECT_FALSE(contains(html, "src=\"/")) << f;
    EXPECT_FALSE(contains(html, "http://") && !contains(html, "http://www.w3.org")) << f;
  }
  // search index: a classic script that sets a global, with section anchors
  std::string index = read_file(s / "assets" / "search-index.js");
  EXPECT_TRUE(contains(index, "window.SCALEBOOK_SEARCH = "));
  EXPECT_TRUE(contains(index, "[3,\"later\",\"Later\",\"Back to first. Zanzibar.\"]")) << index;
  // print page: chapters with prefixed ids, cross-links inside the page, widgets static
  std::string print = read_file(s / "print.html");
  EXPECT_TRUE(contains(print, "<section class=\"sb-print-chapter\" id=\"first\""));
  EXPECT_TRUE(contains(print, "<h2 id=\"first--details\">"));
  EXPECT_TRUE(contains(print, "<a href=\"#second--later\">second</a>"));
  EXPECT_TRUE(contains(print, "<a href=\"#first--details\">first</a>"));
  EXPECT_TRUE(contains(print, "sb-widget-static"));
  EXPECT_FALSE(contains(print, "<scalebook-widget"));
  EXPECT_TRUE(contains(print, "Run it online: <a href=\"first.html#details\">"));
  // cover lists the book; sitemap lists pages relatively
  EXPECT_TRUE(contains(read_file(s / "index.html"), "<a href=\"preface.html\">Preface</a>"));
  EXPECT_TRUE(contains(read_file(s / "sitemap.xml"), "<loc>second.html</loc>"));
  // the service worker precaches every file exactly once (Cache.addAll rejects duplicates)
  std::string sw = read_file(s / "sw.js");
  EXPECT_TRUE(contains(sw, "\"second.html\""));
  size_t list = sw.find("var FILES = [");
  ASSERT_NE(list, std::string::npos);
  std::string files = sw.substr(list, sw.find("];", list) - list);
  std::set<std::string> seen;
  for (size_t q = files.find('"'); q != std::string::npos; q = files.find('"', files.find('"', q + 1) + 1)) {
    std::string f = files.substr(q + 1, files.find('"', q + 1) - q - 1);
    EXPECT_TRUE(seen.insert(f).second) << "listed twice: " << f;
  }
  EXPECT_TRUE(seen.count("assets/build-stamp.js"));
  EXPECT_TRUE(seen.count("figures/a.png"));
}

TEST(SiteBook, WarmBuildIsStableAndStampChangesWithContent) {
  TempDir t;
  write(t.path / "content" / "SUMMARY.md", "- [A](a.md)\n");
  write(t.path / "content" / "a.md", "# A\n\nText.\n");
  SiteOptions o = options_for(t);
  ASSERT_TRUE(build_site(o).ok());
  std::string stamp1 = read_file(t.path / "site" / "assets" / "build-stamp.js");
  std::string page1 = read_file(t.path / "site" / "a.html");
  ASSERT_TRUE(build_site(o).ok());
  EXPECT_EQ(read_file(t.path / "site" / "a.html"), page1) << "builds are deterministic";
  EXPECT_EQ(read_file(t.path / "site" / "assets" / "build-stamp.js"), stamp1);
  write(t.path / "content" / "a.md", "# A\n\nChanged text.\n");
  ASSERT_TRUE(build_site(o).ok());
  EXPECT_NE(read_file(t.path / "site" / "assets" / "build-stamp.js"), stamp1);
}

// The widget gallery is generated from the catalog: every widget, its presets with their
// stories, where the book shows it, and an embed snippet; chapters may link to it.
TEST(SiteBook, TheWidgetGalleryListsEveryCatalogWidgetWithPresetsAndWhereTheBookShowsIt) {
  TempDir t;
  write(t.path / "content" / "SUMMARY.md", "# Book\n- [First](first.md)\n- [Second](second.md)\n");
  write(t.path / "content" / "first.md", "# First\n\nSee [the gallery](widgets.html#rate-limiter).\n\n```widget rate-limiter\n```\n");
  write(t.path / "content" / "second.md", "# Second\n\nText.\n");
  BuildResult r = build_site(options_for(t));
  ASSERT_TRUE(r.ok()) << errors_text(r);
  fs::path s = t.path / "site";
  std::string g = read_file(s / "widgets.html");
  for (const auto& w : scalebook::widgets::catalog()) {
    EXPECT_TRUE(contains(g, "<h2 id=\"" + std::string(w.name) + "\">" + html_escape(w.title))) << w.name;
    EXPECT_TRUE(contains(g, html_escape(w.description))) << w.name;
    for (const auto& p : w.presets) {
      EXPECT_TRUE(contains(g, "<code>preset = " + std::string(p.id) + "</code>")) << w.name << " " << p.id;
      EXPECT_TRUE(contains(g, html_escape(p.story))) << w.name << " " << p.id;
    }
    for (const auto& a : w.actions) EXPECT_TRUE(contains(g, html_escape(a.help))) << w.name << " " << a.name;
    EXPECT_TRUE(contains(g, html_escape("<scalebook-widget name=\"" + std::string(w.name) + "\"></scalebook-widget>"))) << w.name;
  }
  // where the book shows a widget: the rate limiter on First, the others nowhere
  size_t rl = g.find("<h2 id=\"rate-limiter\">");
  ASSERT_NE(rl, std::string::npos);
  std::string item = g.substr(rl, g.find("</section>", rl) - rl);
  EXPECT_TRUE(contains(item, "<strong>In the book:</strong> <a href=\"first.html\">First</a>.")) << item;
  EXPECT_TRUE(contains(g, "not shown in a chapter yet."));
  EXPECT_FALSE(contains(g, "<scalebook-widget name")) << "the gallery lists widgets; it does not load them";
  // linked from the cover and listed in the sitemap
  EXPECT_TRUE(contains(read_file(s / "index.html"), "href=\"widgets.html\""));
  EXPECT_TRUE(contains(read_file(s / "sitemap.xml"), "<loc>widgets.html</loc>"));
}
