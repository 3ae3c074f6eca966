// text.h — small string helpers shared by the site passes: HTML escaping,
// GitHub-style heading slugs, file I/O, and a tiny {{name}} template filler.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace scalebook::site {

// Escapes & < > " ' for text and attribute values.
std::string html_escape(std::string_view s);

// GitHub-style slug: lowercase ASCII letters, keep letters/digits/space/-/_ (and
// any non-ASCII UTF-8 bytes, as GitHub does), drop the rest, spaces → '-'.
std::string slugify(std::string_view text);

// Hands out unique ids within one page: "x", then "x-1", "x-2", …
class IdAllocator {
 public:
  explicit IdAllocator(std::string prefix = {}) : prefix_(std::move(prefix)) {}
  // Automatic (slug) id: deduplicated with -1, -2 suffixes.
  std::string unique(const std::string& base);
  // Explicit id: returned as is; false when it was already taken.
  bool claim(const std::string& id);
  bool taken(const std::string& id) const { return used_.count(id) != 0; }

 private:
  std::string prefix_;
  std::map<std::string, int> used_;
};

std::string read_file(const std::filesystem::path& path);  // throws on error
bool read_file_if_exists(const std::filesystem::path& path, std::string& out);
// Writes only when the content differs (keeps mtimes stable for warm builds).
void write_file(const std::filesystem::path& path, std::string_view content);

// Replaces every {{name}} in `tpl` with vars[name] (verbatim, already escaped
// by the caller). Unknown names become "". `{{{` is not special.
std::string fill_template(std::string_view tpl, const std::map<std::string, std::string>& vars);

// Whitespace-separated word count of plain text.
size_t count_words(std::string_view text);

std::string trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);

// A JSON string literal (with quotes); '<' is escaped so it is safe inside <script>.
std::string json_string(std::string_view s);

// Short FNV-1a hex digest (cache versions, build stamps).
std::string short_hash(std::string_view data);

}  // namespace scalebook::site
