// site_fixtures_test.cpp — runs every fixture under tests/site-fixtures/<feature>/<case>/:
// input.md through all our passes must give expected.html exactly, and the
// diagnostics must equal errors.txt (or be empty). See tests/site-fixtures/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "site/markdown.h"
#include "site/text.h"

namespace fs = std::filesystem;
using namespace scalebook::site;

namespace {

std::vector<fs::path> fixture_cases() {
  std::vector<fs::path> out;
  fs::path root = fs::path(SCALEBOOK_SOURCE_DIR) / "tests" / "site-fixtures";
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().filename() == "input.md") out.push_back(e.path().parent_path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string name_of(const fs::path& dir) {
  return fs::relative(dir, fs::path(SCALEBOOK_SOURCE_DIR) / "tests" / "site-fixtures").generic_string();
}

}  // namespace

TEST(SiteFixtures, ThereAreFixturesForEveryFeature) {
  std::vector<std::string> features;
  for (const auto& c : fixture_cases()) features.push_back(name_of(c).substr(0, name_of(c).find('/')));
  for (const char* f : {"anchors", "links", "callouts", "code", "figures", "gfm", "ids"})
    EXPECT_NE(std::find(features.begin(), features.end(), f), features.end()) << "no fixture for " << f;
}

TEST(SiteFixtures, EveryCaseRendersToItsExpectedHtml) {
  auto cases = fixture_cases();
  ASSERT_FALSE(cases.empty());
  for (const auto& dir : cases) {
    SCOPED_TRACE(name_of(dir));
    RenderOptions ro;
    ro.shown_file = "input.md";
    ro.source_dir = dir;
    ro.page_href = "input.html";
    std::vector<Diagnostic> errors;
    RenderedPage page = render_markdown(read_file(dir / "input.md"), ro, errors);
    std::string expected = read_file(dir / "expected.html");
    EXPECT_EQ(page.html, expected);
    std::string expected_errors, actual_errors;
    read_file_if_exists(dir / "errors.txt", expected_errors);
    for (const auto& d : errors) actual_errors += d.str() + "\n";
    EXPECT_EQ(actual_errors, expected_errors);
  }
}
