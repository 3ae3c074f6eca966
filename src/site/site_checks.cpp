// site_checks.cpp — the check step: every link, anchor and image resolves, no id repeats,
// and every page's set of widgets has its bundle.
#include "site/site_builder.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "site/text.h"

namespace scalebook::site {

// [SECTION] checks: links, anchors, images, duplicate ids
const Page* SiteBuilder::page_for_source(const std::string& source) const {
  int i = book_.find_source(source);
  return i < 0 ? nullptr : &pages_[static_cast<size_t>(i)];
}

const Page* SiteBuilder::page_for_output(const std::string& output) const {
  for (const auto& p : pages_)
    if (p.chapter->output == output) return &p;
  return nullptr;
}

// "" when fine, else the problem.
std::string SiteBuilder::check_target(const Page* from, const std::string& href_in, bool image) const {
  std::string href = href_in;
  if (href.empty()) return "empty link";
  if (is_external(href)) return {};
  if (starts_with(href, "/")) return "absolute path '" + href + "' breaks when the book is opened from a sub-path or file://; use a relative link";
  size_t hash = href.find('#');
  std::string path = strip_dot_slash(percent_decode(href.substr(0, hash)));
  size_t q = path.find('?');
  if (q != std::string::npos) path = path.substr(0, q);
  std::string frag = hash == std::string::npos ? "" : percent_decode(href.substr(hash + 1));
  const Page* target = nullptr;
  if (path.empty()) {
    target = from;
  } else if (ends_with(path, ".md")) {
    target = page_for_source(path);
    if (!target) {
      return fs::exists(opt_.content_dir / path) ? "'" + path + "' is not listed in SUMMARY.md, so it is not part of the book"
                                                : "no such chapter '" + path + "'";
    }
  } else if (ends_with(path, ".html")) {
    target = page_for_output(path);
    if (!target && std::find(std::begin(kGeneratedPages), std::end(kGeneratedPages), path) == std::end(kGeneratedPages))
      return "no such page '" + path + "'";
  } else {
    if (!fs::exists(opt_.content_dir / path)) return image ? "missing image '" + path + "'" : "missing file '" + path + "'";
    return {};
  }
  if (!frag.empty() && target && !target->missing && !target->rendered.ids.count(frag)) {
    return "broken anchor '#" + frag + "': no heading or element with that id in " +
           (target->chapter ? target->chapter->source : path);
  }
  return {};
}

void SiteBuilder::check_all() {
  for (const auto& p : pages_) {
    for (const auto& l : p.rendered.links) {
      std::string problem = check_target(&p, l.href, l.image);
      if (!problem.empty()) error(p.shown, l.line, problem);
    }
    // duplicate ids in the final HTML (raw HTML ids, explicit ids)
    std::map<std::string, int> seen;
    const std::string& h = p.rendered.html;
    size_t i = 0;
    while ((i = h.find(" id=\"", i)) != std::string::npos) {
      size_t s = i + 5, e = h.find('"', s);
      if (e == std::string::npos) break;
      std::string id = h.substr(s, e - s);
      if (seen[id]++ == 1) {
        bool heading_dup = false;
        for (const auto& d : result_.errors) heading_dup = heading_dup || (d.file == p.shown && d.message == "duplicate id '" + id + "'");
        if (!heading_dup) {
          int line = line_of_occurrence(p.markdown, "id=\"" + id + "\"", 1);
          if (!line) line = line_of_occurrence(p.markdown, "{#" + id + "}", 0);
          error(p.shown, line, "duplicate id '" + id + "'");
        }
      }
      i = e;
    }
  }
  for (const auto& ch : book_.chapters) {
    for (const auto& s : ch.sections) {
      const Page* from = page_for_source(ch.source);
      std::string problem = check_target(from, s.href, false);
      if (!problem.empty()) error(summary_shown_, s.line, problem);
    }
  }
}

// Every page's widgets come in one bundle built for exactly that set
// (src/platform/web/CMakeLists.txt plans one per widget and one per set a page shows):
// without it the loader would fall back to a bigger bundle, or one per widget, and the
// page would blow the download budget. Checked when --bundle holds planned bundles.
void SiteBuilder::check_bundles() {
  const fs::path& dir = opt_.bundle_dir;
  if (dir.empty() || !fs::is_regular_file(dir / "scalebook-widgets.index.js")) return;
  for (const auto& p : pages_) {
    if (p.rendered.widget_names.empty()) continue;
    std::string id, names;
    for (const auto& n : p.rendered.widget_names) {
      id += (id.empty() ? "" : "+") + n;
      names += (names.empty() ? "" : ", ") + n;
    }
    std::string file = "scalebook-widgets." + id + ".js";
    if (!fs::is_regular_file(dir / file))
      error(p.shown, 0, "the page shows the widgets " + names + " but " + dir.generic_string() + " has no bundle for that set (" +
                            file + "); reconfigure the Wasm build (cmake --preset wasm, or tools/build), which plans one bundle per set of widgets a page shows");
  }
}

}  // namespace scalebook::site
