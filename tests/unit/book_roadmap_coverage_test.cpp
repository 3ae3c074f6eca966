// The book covers the roadmap: every phase heading, every numbered section (1.1 … 8.3)
// and the cheat sheet and its sections appear as headings of the BUILT book, with the
// roadmap's own titles. Reads the titles from tests/data/roadmap-headings.txt (the
// roadmap's headings, carried in the repository so a clone anywhere tests on its own),
// builds content/ with the real tool into a temporary folder, and looks for each title
// among the <h1>–<h3> texts of the pages.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string squeeze(std::string s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Heading text of the built pages: tags stripped, the anchor link's "#" removed, entities decoded.
std::set<std::string> built_headings(const fs::path& site) {
  std::set<std::string> out;
  const std::regex heading(R"(<h([1-3])[^>]*>([\s\S]*?)</h\1>)");
  const std::regex anchor(R"(<a class="sb-anchor"[^>]*>[^<]*</a>)");
  const std::regex tag(R"(<[^>]+>)");
  for (const auto& entry : fs::directory_iterator(site)) {
    if (entry.path().extension() != ".html" || entry.path().filename() == "print.html") continue;
    const std::string html = read_file(entry.path());
    for (std::sregex_iterator it(html.begin(), html.end(), heading), end; it != end; ++it) {
      std::string text = std::regex_replace((*it)[2].str(), anchor, "");
      text = std::regex_replace(text, tag, "");
      for (auto [from, to] : {std::pair{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}}) {
        for (size_t pos; (pos = text.find(from)) != std::string::npos;) text.replace(pos, std::strlen(from), to);
      }
      out.insert(squeeze(text));
    }
  }
  return out;
}

// One title per line; blank lines and "#" comments skipped.
std::vector<std::string> roadmap_titles(const std::string& text) {
  std::vector<std::string> titles;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    titles.push_back(squeeze(line));
  }
  return titles;
}

}  // namespace

TEST(BookRoadmapCoverage, EveryRoadmapHeadingIsAHeadingOfTheBuiltBook) {
  const fs::path root = SCALEBOOK_SOURCE_DIR;
  const fs::path heading_list = root / "tests" / "data" / "roadmap-headings.txt";
  ASSERT_TRUE(fs::exists(heading_list)) << "missing " << heading_list;
  const auto titles = roadmap_titles(read_file(heading_list));
  // 8 phases, 34 numbered sections, the quick reference and its three "When to Use What" tables.
  ASSERT_EQ(titles.size(), 46u) << "tests/data/roadmap-headings.txt should list the roadmap's 46 headings";
  EXPECT_EQ(titles.front(), "Phase 1: Foundations (Weeks 1–4)");

  const fs::path out = fs::temp_directory_path() / ("scalebook-roadmap-" + std::to_string(::getpid()));
  const std::string cmd = std::string(SCALEBOOK_TOOL) + " build --content " + (root / "content").string() + " --out " +
                          out.string() + " > " + (out.string() + ".log") + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "building the book failed; see " << out.string() << ".log";
  const auto headings = built_headings(out);
  std::vector<std::string> missing;
  for (const auto& t : titles)
    if (!headings.count(t)) missing.push_back(t);
  fs::remove_all(out);
  fs::remove(out.string() + ".log");
  std::string list;
  for (const auto& m : missing) list += "\n  " + m;
  EXPECT_TRUE(missing.empty()) << missing.size() << " roadmap heading(s) missing from the book:" << list;
}
