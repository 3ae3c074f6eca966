// highlight.h — a small build-time syntax highlighter: keywords, strings,
// comments and numbers for a handful of languages (sql, python, js/ts, json, lua, nginx,
// c/cpp, bash, http, yaml, go, java). Nothing runs in the reader's browser.
// Output is escaped HTML with <span class="tok-k|tok-s|tok-c|tok-n|tok-a">.
#pragma once
#include <string>
#include <string_view>

namespace scalebook::site {

// Canonical language name for an info-string word ("py" → "python"); "" if unknown.
std::string canonical_language(std::string_view lang);

// Highlighted, HTML-escaped code; plain escaped text for unknown languages.
std::string highlight_code(std::string_view code, std::string_view lang);

}  // namespace scalebook::site
