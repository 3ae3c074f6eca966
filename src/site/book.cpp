#include "site/book.h"

#include "site/text.h"

namespace scalebook::site {

int Book::find_source(const std::string& source) const {
  for (size_t i = 0; i < chapters.size(); ++i)
    if (chapters[i].source == source) return static_cast<int>(i);
  return -1;
}

std::string md_to_html_href(const std::string& href) {
  size_t hash = href.find('#');
  std::string path = href.substr(0, hash);
  std::string frag = hash == std::string::npos ? "" : href.substr(hash);
  if (ends_with(path, ".md")) path = path.substr(0, path.size() - 3) + ".html";
  return path + frag;
}

namespace {

// Parses "[title](target)" at the start of s; returns false when it is not one.
bool parse_link(std::string_view s, std::string& title, std::string& target) {
  if (s.empty() || s[0] != '[') return false;
  int depth = 0;
  size_t close = std::string_view::npos;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') { ++i; continue; }
    if (s[i] == '[') ++depth;
    if (s[i] == ']' && --depth == 0) { close = i; break; }
  }
  if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != '(') return false;
  size_t end = s.find(')', close + 2);
  if (end == std::string_view::npos) return false;
  title = std::string(s.substr(1, close - 1));
  target = trim(s.substr(close + 2, end - close - 2));
  if (!target.empty() && target.front() == '<' && target.back() == '>') target = target.substr(1, target.size() - 2);
  return trim(s.substr(end + 1)).empty();
}

}  // namespace

Book parse_summary(const std::string& text, const std::string& shown, std::vector<Diagnostic>& errors) {
  Book book;
  bool title_set = false;
  bool in_comment = false;
  int line_no = 0;
  size_t pos = 0;
  int current_part = -1;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    // strip comments (possibly spanning lines)
    std::string line;
    for (size_t i = 0; i < raw.size();) {
      if (in_comment) {
        size_t e = raw.find("-->", i);
        if (e == std::string::npos) { i = raw.size(); break; }
        in_comment = false;
        i = e + 3;
      } else {
        size_t b = raw.find("<!--", i);
        if (b == std::string::npos) { line += raw.substr(i); break; }
        line += raw.substr(i, b - i);
        in_comment = true;
        i = b + 4;
      }
    }
    size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) indent += line[indent] == '\t' ? 4 : 1;
    std::string body = trim(line);
    if (body.empty() || body == "---" || body == "***") continue;
    auto err = [&](const std::string& m) { errors.push_back({shown, line_no, m}); };

    if (starts_with(body, "# ")) {
      std::string title = trim(body.substr(2));
      if (!title_set && book.chapters.empty() && book.parts.empty()) {
        book.title = title;
        title_set = true;
      } else {
        book.parts.push_back({title, book.chapters.size()});
        current_part = static_cast<int>(book.parts.size()) - 1;
      }
      continue;
    }
    if (starts_with(body, "#")) {
      err("only '# ' headings (book title, parts) are allowed in the table of contents");
      continue;
    }
    bool list_item = starts_with(body, "- ") || starts_with(body, "* ");
    std::string link_text = list_item ? trim(body.substr(2)) : body;
    std::string title, target;
    if (!parse_link(link_text, title, target)) {
      err("expected '- [Title](file.md)', got \"" + body + "\"");
      continue;
    }
    if (target.empty()) {
      err("'" + title + "' has no file (drafts are not supported; write the file)");
      continue;
    }
    size_t hash = target.find('#');
    std::string file = target.substr(0, hash);
    if (!ends_with(file, ".md")) {
      err("table-of-contents entries must point at .md files, got \"" + target + "\"");
      continue;
    }
    if (file.find('/') != std::string::npos || file.find('\\') != std::string::npos) {
      err("chapter files must live directly in the content folder, got \"" + file + "\"");
      continue;
    }
    bool nested = list_item && indent >= 2;
    if (nested) {
      if (book.chapters.empty()) {
        err("indented entry '" + title + "' has no chapter above it");
        continue;
      }
      Chapter& parent = book.chapters.back();
      if (file == parent.source || hash != std::string::npos || book.find_source(file) >= 0) {
        parent.sections.push_back({title, target, line_no});
        continue;
      }
    } else if (hash != std::string::npos) {
      err("a chapter entry must point at a whole file, not an anchor: \"" + target + "\"");
      continue;
    }
    if (book.find_source(file) >= 0) {
      err("'" + file + "' is listed twice in the table of contents");
      continue;
    }
    Chapter ch;
    ch.title = title;
    ch.source = file;
    ch.stem = file.substr(0, file.size() - 3);
    ch.output = ch.stem + ".html";
    if (ch.output == "index.html" || ch.output == "print.html" || ch.output == "404.html")
      err("'" + file + "' would overwrite the generated " + ch.output + "; rename the file");
    ch.line = line_no;
    ch.depth = nested ? 1 : 0;
    ch.part = list_item ? current_part : (current_part < 0 ? -1 : current_part);
    book.chapters.push_back(std::move(ch));
  }
  if (book.chapters.empty()) errors.push_back({shown, 1, "the table of contents lists no chapters"});
  return book;
}

}  // namespace scalebook::site
