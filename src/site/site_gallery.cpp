// site_gallery.cpp — the widget gallery (widgets.html): every widget in the catalog, with
// its description, the chapters that show it, its story presets and actions, and the
// snippet that embeds it. Generated from the catalog (widgets/catalog.def) on every
// build, so a new widget appears here with no edit to the book.
#include <string>

#include "site/site_builder.h"
#include "site/text.h"
#include "widgets/catalog.h"

namespace scalebook::site {

void SiteBuilder::write_gallery() {
  std::string c = "<h1 id=\"widgets\">Widget gallery</h1>\n<p>Every simulation in this book, in one place. Each runs a model of a "
                  "real system in your browser; the chapters below each one are where the text explains what to try. A "
                  "<em>preset</em> is a named setting that tells one story: choose it from the widget's <strong>Presets</strong> "
                  "list on the chapter page. Any widget can also run on the command line "
                  "(<code>scalebook sim &lt;name&gt; --help</code>) or in your own page: paste the snippet under it, with "
                  "<code>scalebook.js</code> and the widget files copied from this book's <code>assets/</code> folder, or use "
                  "the widget's <strong>Share</strong> button for a snippet with the settings you are looking at.</p>\n";
  const auto& widgets = widgets::catalog();
  c += "<nav aria-label=\"Widgets on this page\"><ul class=\"sb-gallery-index\">";
  for (const auto& w : widgets)
    c += "<li><a href=\"#" + html_escape(w.name) + "\">" + html_escape(w.title) + "</a></li>";
  c += "</ul></nav>\n";
  for (const auto& w : widgets) {
    std::string name(w.name);
    c += "<section class=\"sb-gallery-item\" aria-labelledby=\"" + html_escape(name) + "\">\n<h2 id=\"" + html_escape(name) + "\">" +
         html_escape(w.title) + " <code>" + html_escape(name) + "</code></h2>\n<p>" + html_escape(w.description) + "</p>\n";
    std::string where;
    for (const auto& p : pages_) {
      if (!p.rendered.widget_names.count(name)) continue;
      where += std::string(where.empty() ? "" : ", ") + "<a href=\"" + html_escape(p.chapter->output) + "\">" +
               html_escape(p.chapter->title) + "</a>";
    }
    c += "<p class=\"sb-gallery-where\"><strong>In the book:</strong> " +
         (where.empty() ? std::string("not shown in a chapter yet.") : where + ".") + "</p>\n";
    c += "<p class=\"sb-gallery-counts\">" + std::to_string(w.params.size()) + " parameter" + (w.params.size() == 1 ? "" : "s") +
         ", " + std::to_string(w.presets.size()) + " preset" + (w.presets.size() == 1 ? "" : "s") + ", " +
         std::to_string(w.actions.size()) + " action" + (w.actions.size() == 1 ? "" : "s") + ".</p>\n";
    if (!w.presets.empty()) {
      c += "<h3 id=\"" + html_escape(name) + "-presets\">Presets</h3>\n<dl class=\"sb-gallery-presets\">\n";
      for (const auto& pr : w.presets)
        c += "<dt>" + html_escape(pr.label) + " <code>preset = " + html_escape(pr.id) + "</code></dt><dd>" + html_escape(pr.story) +
             "</dd>\n";
      c += "</dl>\n";
    }
    if (!w.actions.empty()) {
      c += "<h3 id=\"" + html_escape(name) + "-actions\">Actions during a run</h3>\n<dl class=\"sb-gallery-actions\">\n";
      for (const auto& a : w.actions) c += "<dt>" + html_escape(a.label) + "</dt><dd>" + html_escape(a.help) + "</dd>\n";
      c += "</dl>\n";
    }
    c += "<pre><code>" + html_escape("<script src=\"assets/scalebook.js\" defer></script>\n<scalebook-widget name=\"" + name +
                                     "\"></scalebook-widget>") +
         "</code></pre>\n</section>\n";
  }
  emit("widgets.html", page_html("Widget gallery", "Every simulation in " + book_.title + ", with its presets and where the book uses it.",
                                 "widgets.html", "sb-gallery", sidebar(nullptr), c, "", "", {}, {}));
}

}  // namespace scalebook::site
