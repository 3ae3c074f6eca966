// Fuzzes the table-of-contents parser: content/SUMMARY.md (src/site/book.h).
// Properties beyond "no crash, no UB, no leak":
//   - parsing is deterministic (same text, same book and diagnostics);
//   - every diagnostic and chapter line lies within the file;
//   - every chapter's output is its source with .md replaced by .html, and parts
//     index valid chapters.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "site/book.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Everything parse_summary returns, field by field, so two parses compare by content.
std::string dump(const scalebook::site::Book& b, const std::vector<scalebook::site::Diagnostic>& errors) {
  std::string o = "title=" + b.title + "\n";
  for (const auto& p : b.parts) o += "part " + p.title + " @" + std::to_string(p.first_chapter) + "\n";
  for (const auto& c : b.chapters) {
    o += "chapter " + c.title + "|" + c.source + "|" + c.output + "|" + c.stem + "|" + std::to_string(c.line) + "|" +
         std::to_string(c.depth) + "|" + std::to_string(c.part) + "\n";
    for (const auto& s : c.sections) o += "  section " + s.title + "|" + s.href + "|" + std::to_string(s.line) + "\n";
  }
  for (const auto& d : errors) o += "error " + d.str() + "\n";
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace scalebook::site;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<Diagnostic> errors, errors_again;
  const Book book = parse_summary(text, "SUMMARY.md", errors);
  const Book again = parse_summary(text, "SUMMARY.md", errors_again);
  if (dump(book, errors) != dump(again, errors_again)) fail("parse_summary is not deterministic");

  int lines = 1;
  for (char c : text) lines += c == '\n';
  for (const Diagnostic& d : errors)
    if (d.line < 0 || d.line > lines || d.message.empty()) fail("diagnostic line out of range or empty message");
  for (std::size_t i = 0; i < book.chapters.size(); ++i) {
    const Chapter& c = book.chapters[i];
    if (c.line < 1 || c.line > lines) fail("chapter line out of range");
    if (c.part < -1 || c.part >= static_cast<int>(book.parts.size())) fail("chapter part out of range");
    if (ends_with(c.source, ".md") && c.output != c.source.substr(0, c.source.size() - 3) + ".html")
      fail("chapter output is not source.md -> source.html");
    if (book.find_source(c.source) < 0) fail("find_source cannot find a chapter of the book");
    for (const TocSection& s : c.sections) {
      if (s.line < 1 || s.line > lines) fail("section line out of range");
      (void)md_to_html_href(s.href);
    }
    (void)md_to_html_href(c.source);
  }
  for (const Part& p : book.parts)
    if (p.first_chapter > book.chapters.size()) fail("part starts past the last chapter");
  return 0;
}
