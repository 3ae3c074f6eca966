#include "site/text.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/core/digest.h"
#include "util/json.h"

namespace scalebook::site {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// Whether a non-ASCII code point survives in a GitHub slug: letters, marks and
// numbers do; punctuation, symbols, spaces and emoji do not. An approximation
// of github-slugger's Unicode classes by block, without ICU.
bool slug_keeps(char32_t cp) {
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA || cp == 0xB2 || cp == 0xB3 || cp == 0xB9;
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;   // punctuation, arrows, math, symbols
  if (cp >= 0x2E00 && cp <= 0x2E7F) return false;   // supplemental punctuation
  if (cp >= 0x3000 && cp <= 0x303F) return false;   // CJK punctuation
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false;   // variation selectors
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;   // fullwidth punctuation
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false; // emoji
  return true;
}

// Lower case for the common alphabets (Latin-1, Latin Extended-A, Greek, Cyrillic).
char32_t to_lower(char32_t cp) {
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB) || (cp >= 0x410 && cp <= 0x42F)) return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149 && cp != 0x17F) {
    bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    if (odd_upper ? (cp % 2 == 1) : (cp % 2 == 0)) return cp + 1;
  }
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) out += static_cast<char>(cp);
  else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string slugify(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') out += static_cast<char>(c);
      else if (c == ' ') out += '-';
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > text.size()) break;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    if (len > 1 && slug_keeps(cp)) append_utf8(out, to_lower(cp));
    i += len;
  }
  return out;
}

std::string IdAllocator::unique(const std::string& base_in) {
  std::string base = prefix_ + (base_in.empty() ? std::string("section") : base_in);
  if (!used_.count(base)) {
    used_[base] = 0;
    return base;
  }
  for (int n = used_[base] + 1;; ++n) {
    std::string candidate = base + "-" + std::to_string(n);
    if (!used_.count(candidate)) {
      used_[base] = n;
      used_[candidate] = 0;
      return candidate;
    }
  }
}

bool IdAllocator::claim(const std::string& id) {
  std::string full = prefix_ + id;
  if (used_.count(full)) return false;
  used_[full] = 0;
  return true;
}

std::string read_file(const std::filesystem::path& path) {
  std::string out;
  if (!read_file_if_exists(path, out)) throw std::runtime_error("cannot read " + path.string());
  return out;
}

bool read_file_if_exists(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

void write_file(const std::filesystem::path& path, std::string_view content) {
  std::string old;
  if (read_file_if_exists(path, old) && old == content) return;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string fill_template(std::string_view tpl, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(tpl.size() * 2);
  size_t i = 0;
  while (i < tpl.size()) {
    size_t open = tpl.find("{{", i);
    if (open == std::string_view::npos) {
      out.append(tpl.substr(i));
      break;
    }
    size_t close = tpl.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(tpl.substr(i));
      break;
    }
    out.append(tpl.substr(i, open - i));
    std::string name = trim(tpl.substr(open + 2, close - open - 2));
    auto it = vars.find(name);
    if (it != vars.end()) out += it->second;
    i = close + 2;
  }
  return out;
}

size_t count_words(std::string_view text) {
  size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' || s[b - 1] == '\n')) --b;
  return std::string(s.substr(a, b - a));
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string json_string(std::string_view s) { return util::json_string(s); }

// The tree's one FNV-1a (sim/core/digest.h), first 12 hex digits. (This used to be a copy
// with a mistyped offset basis, 1469598103934665603 for 14695981039346656037.)
std::string short_hash(std::string_view data) {
  sim::TraceDigest d;
  d.add_bytes(data);
  return d.hex().substr(0, 12);
}

}  // namespace scalebook::site
