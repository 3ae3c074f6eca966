// book.h — the book model: the table of contents read from content/SUMMARY.md.
//
// SUMMARY.md format (see docs/authoring.md):
//   # Book title            first "# " heading before any link (optional)
//   [Intro](intro.md)       links before the first part: front matter
//   # Part title            every later "# " line starts a part
//   - [Chapter](file.md)    a chapter (one page)
//     - [Section](file.md#anchor)   indented: a section shown in the sidebar;
//     - [Sub page](other.md)        or, pointing at another file, a sub-chapter page
//   <!-- comments -->, blank lines and "---" are ignored.
// Pages are written flat into the output folder (file.md → file.html), so
// chapter files must live directly in content/ (no subfolders).
#pragma once
#include <string>
#include <vector>

namespace scalebook::site {

struct TocSection {
  std::string title;
  std::string href;  // as written, e.g. "file.md#anchor"
  int line = 0;
};

struct Chapter {
  std::string title;
  std::string source;  // "file.md", relative to the content dir
  std::string output;  // "file.html"
  std::string stem;    // "file"
  int line = 0;        // line in SUMMARY.md
  int depth = 0;       // 0 chapter, 1 sub-chapter
  int part = -1;       // index into Book::parts; -1 = front matter
  std::vector<TocSection> sections;
};

struct Part {
  std::string title;
  size_t first_chapter = 0;  // index into Book::chapters
};

struct Book {
  std::string title = "Scalebook";
  std::vector<Part> parts;
  std::vector<Chapter> chapters;  // reading order
  // index of a chapter by its source file name; -1 when not in the book
  int find_source(const std::string& source) const;
};

struct Diagnostic {
  std::string file;  // path as shown to the user
  int line = 0;
  std::string message;
  std::string str() const { return file + ":" + std::to_string(line) + ": " + message; }
};

// Parses SUMMARY.md text. `shown_path` names the file in diagnostics.
Book parse_summary(const std::string& text, const std::string& shown_path, std::vector<Diagnostic>& errors);

// "file.md" → "file.html"; keeps a "#fragment". Only for relative .md links.
std::string md_to_html_href(const std::string& href);

}  // namespace scalebook::site
