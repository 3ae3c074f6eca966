// json.h — the one JSON string escaper (header-only: used by the site generator, the
// widget catalog, `scalebook sim` and the Wasm host, which share no other library).
#pragma once
#include <cstdio>
#include <string>
#include <string_view>

namespace scalebook::util {

// Appends `s` as a JSON string literal, quotes included. '<' is written as \u003c so
// the text is also safe inside an HTML <script> element.
inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '<': out += "\\u003c"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace scalebook::util
