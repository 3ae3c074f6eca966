#include "site/svg_inline.h"

#include <cctype>
#include <string>
#include <vector>

#include "site/text.h"

namespace scalebook::site {

namespace {

struct Attr {
  std::string name, value;
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool dropped_element(const std::string& name) {
  std::string n = lower(name);
  return n == "script" || n == "foreignobject" || n == "iframe" || n == "object" || n == "embed" || n == "handler";
}

std::string prefix_refs(const std::string& value, std::string_view prefix) {
  // url(#x) → url(#prefix-x)
  std::string out;
  size_t i = 0;
  while (true) {
    size_t p = value.find("url(#", i);
    if (p == std::string::npos) { out += value.substr(i); break; }
    out += value.substr(i, p - i) + "url(#" + std::string(prefix);
    i = p + 5;
  }
  return out;
}

}  // namespace

std::string sanitize_svg(std::string_view svg, std::string_view alt, std::string_view id_prefix) {
  std::string out;
  size_t start = svg.find("<svg");
  if (start == std::string_view::npos) return {};
  size_t i = start;
  int skip_depth = 0;
  std::string skip_name;
  bool root_done = false;
  while (i < svg.size()) {
    if (svg[i] != '<') {
      size_t e = svg.find('<', i);
      if (e == std::string_view::npos) e = svg.size();
      if (!skip_depth) out.append(svg.substr(i, e - i));
      i = e;
      continue;
    }
    if (svg.substr(i, 4) == "<!--") {
      size_t e = svg.find("-->", i);
      i = e == std::string_view::npos ? svg.size() : e + 3;
      continue;
    }
    if (svg.substr(i, 2) == "<?" || svg.substr(i, 2) == "<!") {
      size_t e = svg.find('>', i);
      i = e == std::string_view::npos ? svg.size() : e + 1;
      continue;
    }
    // find the end of the tag, honouring quotes
    size_t j = i + 1;
    char q = 0;
    while (j < svg.size()) {
      if (q) { if (svg[j] == q) q = 0; }
      else if (svg[j] == '"' || svg[j] == '\'') q = svg[j];
      else if (svg[j] == '>') break;
      ++j;
    }
    std::string_view tag = svg.substr(i + 1, j - i - 1);
    i = j + 1;
    bool closing = !tag.empty() && tag[0] == '/';
    bool self_closing = !tag.empty() && tag.back() == '/';
    if (closing) tag.remove_prefix(1);
    if (self_closing) tag.remove_suffix(1);
    size_t k = 0;
    while (k < tag.size() && !std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
    std::string name(tag.substr(0, k));
    if (skip_depth) {
      if (lower(name) == skip_name) {
        if (closing) --skip_depth;
        else if (!self_closing) ++skip_depth;
      }
      continue;
    }
    if (dropped_element(name)) {
      if (!closing && !self_closing) {
        skip_depth = 1;
        skip_name = lower(name);
      }
      continue;
    }
    if (closing) {
      out += "</" + name + ">";
      if (name == "svg" && out.find("<svg") != std::string::npos) {
        // stop after the root closes (nested <svg> would have been balanced)
      }
      continue;
    }
    // parse attributes
    std::vector<Attr> attrs;
    while (k < tag.size()) {
      while (k < tag.size() && std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
      size_t ns = k;
      while (k < tag.size() && tag[k] != '=' && !std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
      std::string an(tag.substr(ns, k - ns));
      while (k < tag.size() && std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
      std::string av;
      if (k < tag.size() && tag[k] == '=') {
        ++k;
        while (k < tag.size() && std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
        if (k < tag.size() && (tag[k] == '"' || tag[k] == '\'')) {
          char qq = tag[k++];
          size_t ve = tag.find(qq, k);
          if (ve == std::string_view::npos) ve = tag.size();
          av = std::string(tag.substr(k, ve - k));
          k = ve + 1;
        } else {
          size_t vs = k;
          while (k < tag.size() && !std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
          av = std::string(tag.substr(vs, k - vs));
        }
      }
      if (an.empty()) continue;
      std::string lan = lower(an);
      if (starts_with(lan, "on")) continue;  // event handlers
      std::string lav = lower(trim(av));
      if ((lan == "href" || lan == "xlink:href") && !starts_with(lav, "#")) continue;  // only in-figure refs
      if (lan == "id") av = std::string(id_prefix) + av;
      else if ((lan == "href" || lan == "xlink:href")) av = "#" + std::string(id_prefix) + av.substr(1);
      else av = prefix_refs(av, id_prefix);
      if (!root_done && name == "svg" && (lan == "width" || lan == "height" || lan == "role" || lan == "aria-label" ||
                                          lan == "xmlns:xlink" || lan == "version"))
        continue;
      attrs.push_back({an, av});
    }
    out += "<" + name;
    if (!root_done && name == "svg") {
      out += " role=\"img\" aria-label=\"" + html_escape(alt) + "\" class=\"sb-svg\"";
      root_done = true;
    }
    for (auto& a : attrs) {
      // values came from the file still entity-escaped; keep them verbatim but
      // never let a raw quote break out.
      std::string v;
      for (char c : a.value) v += c == '"' ? std::string("&quot;") : std::string(1, c);
      out += " " + a.name + "=\"" + v + "\"";
    }
    out += self_closing ? "/>" : ">";
  }
  // drop anything after the root </svg>
  size_t last = out.rfind("</svg>");
  if (last != std::string::npos) out.resize(last + 6);
  return out;
}

}  // namespace scalebook::site
