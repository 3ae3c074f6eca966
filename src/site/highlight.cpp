#include "site/highlight.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "site/text.h"

namespace scalebook::site {

namespace {

struct Language {
  std::string name;
  std::vector<std::string> aliases;
  std::set<std::string> keywords;
  std::vector<std::string> line_comments;
  std::string block_open, block_close;
  std::string quotes;
  bool case_insensitive = false;
  bool hash_comment_needs_space = false;  // bash: '#' only starts a comment after whitespace
  bool keys_before_colon = false;         // yaml/http/json: `key:` is an attribute
};

std::set<std::string> words(const char* list) {
  std::set<std::string> out;
  std::string w;
  for (const char* p = list;; ++p) {
    if (*p == ' ' || *p == '\0') {
      if (!w.empty()) out.insert(w);
      w.clear();
      if (*p == '\0') break;
    } else {
      w += *p;
    }
  }
  return out;
}

const std::vector<Language>& languages() {
  static const std::vector<Language> all = [] {
    std::vector<Language> v;
    v.push_back({"sql", {"sql", "postgresql", "psql", "mysql"},
                 words("select from where insert into values update set delete create table index on and or not null "
                       "primary key foreign references join left right inner outer group by order having limit offset as "
                       "distinct union all begin commit rollback transaction if exists drop alter add column unique default "
                       "int integer bigint text varchar timestamp boolean serial returning with case when then else end in is "
                       "like between count sum avg min max partition over asc desc lock for share nowait skip locked"),
                 {"--"}, "/*", "*/", "'\"", true});
    v.push_back({"python", {"python", "py", "python3"},
                 words("def class return if elif else for while in not and or is None True False import from as with try "
                       "except finally raise yield lambda pass break continue global nonlocal async await assert del print self"),
                 {"#"}, "", "", "'\""});
    v.push_back({"javascript", {"javascript", "js", "ts", "typescript", "jsx", "tsx", "node"},
                 words("const let var function return if else for while do switch case break continue new this class extends "
                       "import export from default async await try catch finally throw typeof instanceof in of null undefined "
                       "true false yield interface type"),
                 {"//"}, "/*", "*/", "'\"`"});
    v.push_back({"json", {"json", "jsonc", "json5"}, words("true false null"), {}, "", "", "\"", false, false, true});
    v.push_back({"cpp", {"cpp", "c++", "cc", "c", "h", "hpp", "cxx"},
                 words("auto bool break case char class const constexpr continue default delete do double else enum explicit "
                       "extern false float for if inline int long namespace new noexcept nullptr operator private protected "
                       "public return short signed sizeof static struct switch template this throw true try typedef typename "
                       "union unsigned using virtual void volatile while include define pragma std size_t uint64_t int64_t"),
                 {"//"}, "/*", "*/", "'\""});
    v.push_back({"bash", {"bash", "sh", "shell", "zsh", "console", "shell-session"},
                 words("if then else elif fi for while do done case esac in function return export local echo cd exit set"),
                 {"#"}, "", "", "'\"", false, true});
    v.push_back({"http", {"http", "https"},
                 words("GET POST PUT DELETE PATCH HEAD OPTIONS CONNECT TRACE HTTP"), {}, "", "", "\"", false, false, true});
    v.push_back({"yaml", {"yaml", "yml"}, words("true false null yes no on off"), {"#"}, "", "", "'\"", false, true, true});
    v.push_back({"go", {"go", "golang"},
                 words("break case chan const continue default defer else fallthrough for func go goto if import interface "
                       "map package range return select struct switch type var nil true false error string int int64 uint64 "
                       "bool byte float64 make new len append"),
                 {"//"}, "/*", "*/", "'\"`"});
    v.push_back({"java", {"java", "kotlin", "scala"},
                 words("abstract boolean break byte case catch char class const continue default do double else enum extends "
                       "final finally float for if implements import instanceof int interface long new package private "
                       "protected public return short static super switch synchronized this throw throws try void volatile "
                       "while true false null var String"),
                 {"//"}, "/*", "*/", "'\""});
    v.push_back({"lua", {"lua"},
                 words("and break do else elseif end false for function goto if in local nil not or repeat return then "
                       "true until while redis call"),
                 {"--"}, "--[[", "]]", "'\""});
    v.push_back({"nginx", {"nginx", "nginxconf"},
                 words("http server location listen server_name root index return rewrite if set upstream proxy_pass "
                       "proxy_set_header limit_req limit_req_zone limit_req_status limit_conn limit_conn_zone burst nodelay "
                       "delay zone include events worker_processes access_log error_log add_header try_files"),
                 {"#"}, "", "", "'\"", false, true});
    return v;
  }();
  return all;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const Language* find_language(std::string_view lang) {
  std::string l = lower(lang);
  for (const auto& L : languages())
    for (const auto& a : L.aliases)
      if (a == l) return &L;
  return nullptr;
}

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

void span(std::string& out, const char* cls, std::string_view text) {
  out += "<span class=\"";
  out += cls;
  out += "\">";
  out += html_escape(text);
  out += "</span>";
}

}  // namespace

std::string canonical_language(std::string_view lang) {
  const Language* L = find_language(lang);
  return L ? L->name : "";
}

std::string highlight_code(std::string_view code, std::string_view lang) {
  const Language* L = find_language(lang);
  if (!L) return html_escape(code);
  std::string out;
  out.reserve(code.size() * 2);
  size_t i = 0;
  const size_t n = code.size();
  while (i < n) {
    char c = code[i];
    // comments (block first: Lua's --[[ starts like its -- line comment)
    if (!L->block_open.empty() && code.substr(i, L->block_open.size()) == L->block_open) {
      size_t e = code.find(L->block_close, i + L->block_open.size());
      e = e == std::string_view::npos ? n : e + L->block_close.size();
      span(out, "tok-c", code.substr(i, e - i));
      i = e;
      continue;
    }
    bool matched = false;
    for (const auto& lc : L->line_comments) {
      if (code.substr(i, lc.size()) == lc) {
        if (L->hash_comment_needs_space && i > 0 && !std::isspace(static_cast<unsigned char>(code[i - 1]))) continue;
        size_t e = code.find('\n', i);
        if (e == std::string_view::npos) e = n;
        span(out, "tok-c", code.substr(i, e - i));
        i = e;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    // strings
    if (L->quotes.find(c) != std::string::npos) {
      size_t j = i + 1;
      while (j < n && code[j] != c) {
        if (code[j] == '\\') ++j;
        else if (code[j] == '\n' && c != '`') break;
        ++j;
      }
      size_t e = std::min(n, j + 1);
      bool is_key = false;
      if (L->keys_before_colon) {
        size_t k = e;
        while (k < n && code[k] == ' ') ++k;
        is_key = k < n && code[k] == ':';
      }
      span(out, is_key ? "tok-a" : "tok-s", code.substr(i, e - i));
      i = e;
      continue;
    }
    // numbers
    if (std::isdigit(static_cast<unsigned char>(c)) && (i == 0 || !ident_char(code[i - 1]))) {
      size_t j = i;
      while (j < n && (std::isalnum(static_cast<unsigned char>(code[j])) || code[j] == '.' || code[j] == '_')) ++j;
      span(out, "tok-n", code.substr(i, j - i));
      i = j;
      continue;
    }
    // identifiers / keywords
    if (ident_start(c)) {
      size_t j = i;
      while (j < n && (std::isalnum(static_cast<unsigned char>(code[j])) || code[j] == '_' ||
                       (L->keys_before_colon && code[j] == '-'))) ++j;
      std::string_view word = code.substr(i, j - i);
      std::string key = L->case_insensitive ? lower(word) : std::string(word);
      bool at_line_start = true;
      for (size_t k = i; k > 0 && code[k - 1] != '\n'; --k)
        if (code[k - 1] != ' ' && code[k - 1] != '-') { at_line_start = false; break; }
      if (L->keys_before_colon && at_line_start && j < n && code[j] == ':') span(out, "tok-a", word);
      else if (L->keywords.count(key)) span(out, "tok-k", word);
      else out += html_escape(word);
      i = j;
      continue;
    }
    out += html_escape(code.substr(i, 1));
    ++i;
  }
  return out;
}

}  // namespace scalebook::site
