// site_chrome.cpp — page chrome: the sidebar, the outline, the pager and the page template.
#include "site/site_builder.h"

#include <map>

#include "site/text.h"

namespace scalebook::site {

// [SECTION] page assembly
std::string SiteBuilder::sidebar(const Chapter* current) const {
  std::string h = "<nav class=\"sb-sidebar\" id=\"sb-sidebar\" aria-label=\"Table of contents\">\n<ol class=\"sb-toc\">\n";
  auto chapter_item = [&](size_t i) {
    const Chapter& ch = book_.chapters[i];
    bool cur = current == &ch;
    std::string li = "<li class=\"sb-toc-chapter" + std::string(ch.depth ? " sb-toc-sub" : "") + (cur ? " sb-current" : "") +
                     "\"><a href=\"" + html_escape(ch.output) + "\"" + (cur ? " aria-current=\"page\"" : "") + ">" +
                     html_escape(ch.title) + "</a>";
    if (cur && !ch.sections.empty()) {
      li += "<ol class=\"sb-toc-sections\">";
      for (const auto& s : ch.sections)
        li += "<li><a href=\"" + html_escape(md_to_html_href(s.href)) + "\">" + html_escape(s.title) + "</a></li>";
      li += "</ol>";
    }
    return li + "</li>\n";
  };
  size_t i = 0;
  for (; i < book_.chapters.size() && book_.chapters[i].part < 0; ++i) h += chapter_item(i);
  for (size_t pi = 0; pi < book_.parts.size(); ++pi) {
    h += "<li class=\"sb-toc-part\"><span class=\"sb-toc-part-title\">" + html_escape(book_.parts[pi].title) + "</span><ol>\n";
    for (; i < book_.chapters.size() && book_.chapters[i].part == static_cast<int>(pi); ++i) h += chapter_item(i);
    h += "</ol></li>\n";
  }
  for (; i < book_.chapters.size(); ++i) h += chapter_item(i);
  h += "</ol>\n</nav>";
  return h;
}

std::string SiteBuilder::outline(const RenderedPage& r) {
  std::string items;
  for (const auto& hd : r.headings) {
    if (hd.level < 2 || hd.level > 3) continue;
    items += "<li class=\"sb-outline-h" + std::to_string(hd.level) + "\"><a href=\"#" + html_escape(hd.id) + "\">" +
             html_escape(hd.text) + "</a></li>\n";
  }
  if (items.empty()) return {};
  return "<nav class=\"sb-outline\" aria-labelledby=\"sb-outline-title\"><p class=\"sb-outline-title\" id=\"sb-outline-title\">On this page</p><ol>\n" +
         items + "</ol></nav>";
}

std::string SiteBuilder::pager(const Link& prev, const Link& next) {
  std::string h = "<nav class=\"sb-pager\" aria-label=\"Previous and next page\">";
  if (!prev.href.empty())
    h += "<a class=\"sb-pager-prev\" rel=\"prev\" href=\"" + html_escape(prev.href) + "\"><span class=\"sb-pager-label\">← Previous</span><span class=\"sb-pager-title\">" +
         html_escape(prev.title) + "</span></a>";
  else
    h += "<span></span>";
  if (!next.href.empty())
    h += "<a class=\"sb-pager-next\" rel=\"next\" href=\"" + html_escape(next.href) + "\"><span class=\"sb-pager-label\">Next →</span><span class=\"sb-pager-title\">" +
         html_escape(next.title) + "</span></a>";
  h += "</nav>";
  return h;
}

std::string SiteBuilder::absolute(const std::string& rel) const {
  if (opt_.site_url.empty()) return rel;
  std::string base = opt_.site_url;
  if (base.back() != '/') base += '/';
  return base + rel;
}

std::string SiteBuilder::page_html(const std::string& title, const std::string& description, const std::string& href,
                      const std::string& body_class, const std::string& sidebar_html, const std::string& content,
                      const std::string& outline_html, const std::string& pager_html, const Link& prev, const Link& next) const {
  std::map<std::string, std::string> v;
  std::string full_title = title == book_.title ? title : title + " — " + book_.title;
  v["title"] = html_escape(full_title);
  v["page_title"] = html_escape(title);
  v["book_title"] = html_escape(book_.title);
  v["description"] = html_escape(description);
  std::string og = "<meta property=\"og:type\" content=\"" + std::string(body_class == "sb-cover" ? "book" : "article") + "\">\n" +
                   "<meta property=\"og:title\" content=\"" + html_escape(title) + "\">\n" +
                   "<meta property=\"og:description\" content=\"" + html_escape(description) + "\">\n" +
                   "<meta property=\"og:site_name\" content=\"" + html_escape(book_.title) + "\">\n";
  if (!opt_.site_url.empty()) og += "<meta property=\"og:url\" content=\"" + html_escape(absolute(href)) + "\">\n";
  v["og"] = og;
  std::string extra;
  if (!prev.href.empty()) extra += "<link rel=\"prev\" href=\"" + html_escape(prev.href) + "\">\n";
  if (!next.href.empty()) extra += "<link rel=\"next\" href=\"" + html_escape(next.href) + "\">\n";
  if (opt_.live_reload) extra += "<meta name=\"scalebook-live-reload\" content=\"1\">\n";
  v["head_extra"] = extra;
  v["body_class"] = body_class;
  v["sidebar"] = sidebar_html;
  v["content"] = content;
  v["outline"] = outline_html;
  v["pager"] = pager_html;
  v["page_href"] = html_escape(href);
  return fill_template(page_template_, v);
}

}  // namespace scalebook::site
