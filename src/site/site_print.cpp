// site_print.cpp — the print page: every chapter on one page, ids prefixed by chapter,
// links rewritten to in-page anchors, widgets as static figures.
#include "site/site_builder.h"

#include "site/text.h"

namespace scalebook::site {

void SiteBuilder::write_print() {
  std::string c = "<header class=\"sb-print-header\"><h1 id=\"top\">" + html_escape(book_.title) +
                  "</h1><p class=\"sb-print-note\">The whole book on one page, for printing or saving as PDF. "
                  "Interactive widgets appear as static figures. <button type=\"button\" class=\"sb-button\" data-sb-print>Print…</button></p></header>\n";
  std::vector<Diagnostic> ignored;  // already reported by the chapter pass
  for (const auto& p : pages_) {
    const Chapter& ch = *p.chapter;
    RenderOptions ro;
    ro.shown_file = p.shown;
    ro.source_dir = opt_.content_dir;
    ro.id_prefix = ch.stem + "--";
    ro.static_widgets = true;
    ro.page_href = ch.output;
    std::string stem = ch.stem;
    ro.rewrite_href = [this, stem](const std::string& href) -> std::string {
      if (is_external(href)) return href;
      size_t hash = href.find('#');
      std::string path = strip_dot_slash(href.substr(0, hash));
      std::string frag = hash == std::string::npos ? "" : href.substr(hash + 1);
      std::string target_stem;
      if (path.empty()) target_stem = stem;
      else if (ends_with(path, ".md") && book_.find_source(path) >= 0) target_stem = path.substr(0, path.size() - 3);
      else if (ends_with(path, ".html") && book_.find_source(path.substr(0, path.size() - 5) + ".md") >= 0)
        target_stem = path.substr(0, path.size() - 5);
      else return md_to_html_href(href);
      return "#" + target_stem + (frag.empty() ? "" : "--" + frag);
    };
    RenderedPage r = render_markdown(p.markdown, ro, ignored);
    c += "<section class=\"sb-print-chapter\" id=\"" + html_escape(ch.stem) + "\" aria-label=\"" + html_escape(ch.title) + "\">\n" +
         r.html + "</section>\n";
  }
  emit("print.html", page_html("Print: " + book_.title, "The whole of " + book_.title + " on one page, for printing.", "print.html",
                               "sb-print-page", sidebar(nullptr), c, "", "", {}, {}));
}

}  // namespace scalebook::site
