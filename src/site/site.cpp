#include "site/site.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "site/markdown.h"
#include "site/text.h"

namespace fs = std::filesystem;

namespace scalebook::site {

// [SECTION] helpers -----------------------------------------------------------

fs::path default_web_dir() {
  if (fs::exists("web/templates/page.html")) return "web";
#ifdef SCALEBOOK_DEFAULT_WEB_DIR
  return SCALEBOOK_DEFAULT_WEB_DIR;
#else
  return "web";
#endif
}

namespace {

struct Page {
  const Chapter* chapter = nullptr;
  std::string shown;  // "content/file.md"
  std::string markdown;
  RenderedPage rendered;
  bool missing = false;
};

std::string shown_dir(const fs::path& dir) {
  std::string s = dir.generic_string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

bool is_external(const std::string& href) {
  if (starts_with(href, "//")) return true;
  size_t colon = href.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = href[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) return false;
  }
  return true;
}

std::string strip_dot_slash(std::string p) {
  while (starts_with(p, "./")) p = p.substr(2);
  return p;
}

// Line of the n-th (0-based) occurrence of `needle` in `text`; 0 when absent.
int line_of_occurrence(const std::string& text, const std::string& needle, int nth) {
  size_t pos = 0;
  for (int k = 0;; ++k) {
    pos = text.find(needle, pos);
    if (pos == std::string::npos) return 0;
    if (k == nth) return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
    ++pos;
  }
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Copies src → dst only when the bytes differ; returns true when written.
bool sync_file(const fs::path& src, const fs::path& dst) {
  std::error_code ec;
  if (fs::exists(dst, ec) && fs::file_size(src, ec) == fs::file_size(dst, ec) &&
      fs::last_write_time(src, ec) <= fs::last_write_time(dst, ec))
    return false;
  write_file(dst, read_file(src));
  return true;
}

// [SECTION] the builder -----------------------------------------------------

class SiteBuilder {
 public:
  explicit SiteBuilder(const SiteOptions& o) : opt_(o) {
    web_ = opt_.web_dir.empty() ? default_web_dir() : opt_.web_dir;
  }

  BuildResult run() {
    auto t0 = std::chrono::steady_clock::now();
    load();
    if (result_.ok()) {
      render_all();
      check_all();
      check_bundles();
    }
    if (result_.ok() && opt_.write) write_all();
    result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::move(result_);
  }

 private:
  const SiteOptions& opt_;
  fs::path web_;
  BuildResult result_;
  Book book_;
  std::string summary_shown_;
  std::string summary_text_;
  std::vector<Page> pages_;
  std::vector<std::string> outputs_;  // every file written, relative to out (for the service worker)
  std::string page_template_;

  std::string shown(const std::string& file) const { return shown_dir(opt_.content_dir) + "/" + file; }
  void error(const std::string& file, int line, const std::string& m) { result_.errors.push_back({file, line, m}); }

  void load() {
    summary_shown_ = shown("SUMMARY.md");
    if (!read_file_if_exists(opt_.content_dir / "SUMMARY.md", summary_text_)) {
      error(summary_shown_, 0, "cannot read the table of contents (is --content right?)");
      return;
    }
    book_ = parse_summary(summary_text_, summary_shown_, result_.errors);
  }

  void render_all() {
    pages_.resize(book_.chapters.size());
    for (size_t i = 0; i < book_.chapters.size(); ++i) {
      Page& p = pages_[i];
      const Chapter& ch = book_.chapters[i];
      p.chapter = &ch;
      p.shown = shown(ch.source);
      if (!read_file_if_exists(opt_.content_dir / ch.source, p.markdown)) {
        p.missing = true;
        result_.warnings.push_back(summary_shown_ + ":" + std::to_string(ch.line) + ": '" + ch.source +
                                   "' does not exist yet; a placeholder page was generated");
        p.markdown = "# " + ch.title + "\n\nThis chapter has not been written yet.\n";
      }
      RenderOptions ro;
      ro.shown_file = p.shown;
      ro.source_dir = opt_.content_dir;
      ro.page_href = ch.output;
      p.rendered = render_markdown(p.markdown, ro, result_.errors);
      result_.chapters.push_back({ch.source, ch.title, p.rendered.words, p.rendered.widgets, p.missing});
    }
  }

  // [SECTION] checks: links, anchors, images, duplicate ids
  const Page* page_for_source(const std::string& source) const {
    int i = book_.find_source(source);
    return i < 0 ? nullptr : &pages_[static_cast<size_t>(i)];
  }
  const Page* page_for_output(const std::string& output) const {
    for (const auto& p : pages_)
      if (p.chapter->output == output) return &p;
    return nullptr;
  }

  // "" when fine, else the problem.
  std::string check_target(const Page* from, const std::string& href_in, bool image) const {
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
      if (!target && path != "index.html" && path != "print.html" && path != "404.html")
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

  void check_all() {
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
  void check_bundles() {
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

  // [SECTION] page assembly
  std::string sidebar(const Chapter* current) const {
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

  static std::string outline(const RenderedPage& r) {
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

  struct Link {
    std::string href, title;
  };

  static std::string pager(const Link& prev, const Link& next) {
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

  std::string absolute(const std::string& rel) const {
    if (opt_.site_url.empty()) return rel;
    std::string base = opt_.site_url;
    if (base.back() != '/') base += '/';
    return base + rel;
  }

  std::string page_html(const std::string& title, const std::string& description, const std::string& href,
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

  void emit(const std::string& rel, const std::string& content) {
    write_file(opt_.out_dir / rel, content);
    outputs_.push_back(rel);
    ++result_.pages_written;
  }

  void write_all() {
    fs::path tpl = web_ / "templates" / "page.html";
    if (!read_file_if_exists(tpl, page_template_)) {
      error(tpl.generic_string(), 0, "page template not found (use --web DIR)");
      return;
    }
    fs::create_directories(opt_.out_dir);
    write_chapters();
    write_cover();
    write_print();
    write_404();
    write_search_index();
    copy_assets();
    write_sitemap();
    write_manifest_and_worker();
  }

  void write_chapters() {
    for (size_t i = 0; i < pages_.size(); ++i) {
      const Page& p = pages_[i];
      const Chapter& ch = *p.chapter;
      Link prev = i == 0 ? Link{"index.html", book_.title} : Link{book_.chapters[i - 1].output, book_.chapters[i - 1].title};
      Link next = i + 1 < pages_.size() ? Link{book_.chapters[i + 1].output, book_.chapters[i + 1].title} : Link{};
      std::string title = p.rendered.h1.empty() ? ch.title : p.rendered.h1;
      std::string desc = p.rendered.description.empty() ? ch.title + " — " + book_.title : p.rendered.description;
      std::string content = p.rendered.html;
      if (p.missing) content = "<div class=\"sb-draft\">" + content + "</div>";
      emit(ch.output, page_html(title, desc, ch.output, "sb-chapter", sidebar(&ch), content, outline(p.rendered),
                                pager(prev, next), prev, next));
    }
  }

  std::string book_description() const {
    for (const auto& p : pages_)
      if (!p.rendered.description.empty()) return p.rendered.description;
    return book_.title;
  }

  void write_cover() {
    std::string c = "<header class=\"sb-cover-header\"><h1 id=\"top\">" + html_escape(book_.title) + "</h1>\n<p class=\"sb-cover-lead\">" +
                    html_escape(book_description()) + "</p>\n";
    if (!pages_.empty())
      c += "<p class=\"sb-cover-actions\"><a class=\"sb-button\" href=\"" + html_escape(book_.chapters[0].output) +
           "\">Start reading →</a> <a class=\"sb-button sb-button-quiet\" href=\"print.html\">Whole book on one page</a></p>";
    c += "</header>\n<h2 id=\"contents\">Contents</h2>\n<div class=\"sb-cover-toc\">\n";
    auto item = [&](size_t i) {
      const Chapter& ch = book_.chapters[i];
      const RenderedPage& r = pages_[i].rendered;
      return "<li><a href=\"" + html_escape(ch.output) + "\">" + html_escape(ch.title) + "</a>" +
             (r.description.empty() || pages_[i].missing ? "" : "<p>" + html_escape(r.description) + "</p>") + "</li>\n";
    };
    size_t i = 0;
    std::string front;
    for (; i < book_.chapters.size() && book_.chapters[i].part < 0; ++i) front += item(i);
    if (!front.empty()) c += "<ol class=\"sb-cover-list\">\n" + front + "</ol>\n";
    for (size_t pi = 0; pi < book_.parts.size(); ++pi) {
      c += "<section class=\"sb-cover-part\"><h3 id=\"part-" + std::to_string(pi + 1) + "\">" + html_escape(book_.parts[pi].title) +
           "</h3><ol class=\"sb-cover-list\">\n";
      for (; i < book_.chapters.size() && book_.chapters[i].part == static_cast<int>(pi); ++i) c += item(i);
      c += "</ol></section>\n";
    }
    c += "</div>\n";
    Link next = pages_.empty() ? Link{} : Link{book_.chapters[0].output, book_.chapters[0].title};
    emit("index.html", page_html(book_.title, book_description(), "index.html", "sb-cover", sidebar(nullptr), c, "",
                                 pager({}, next), {}, next));
  }

  void write_print() {
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

  void write_404() {
    std::string c = "<h1 id=\"not-found\">Page not found</h1>\n<p>This page does not exist in this book. It may have moved.</p>\n"
                    "<p><a class=\"sb-button\" href=\"index.html\">Go to the table of contents</a> or press <kbd>/</kbd> to search.</p>\n";
    emit("404.html", page_html("Page not found", "This page does not exist.", "404.html", "sb-404", sidebar(nullptr), c, "", "", {}, {}));
  }

  void write_search_index() {
    // window.SCALEBOOK_SEARCH = {pages:[[href,title]], sections:[[page, anchor, title, text]]}
    std::string js = "// Generated by scalebook build: the full-text search index (a classic script, so it loads from file://).\n"
                     "window.SCALEBOOK_SEARCH = {\"pages\":[";
    for (size_t i = 0; i < pages_.size(); ++i) {
      if (i) js += ",";
      js += "[" + json_string(pages_[i].chapter->output) + "," + json_string(pages_[i].chapter->title) + "]";
    }
    js += "],\n\"sections\":[\n";
    bool first = true;
    for (size_t i = 0; i < pages_.size(); ++i) {
      if (pages_[i].missing) continue;
      for (const auto& s : pages_[i].rendered.sections) {
        if (!first) js += ",\n";
        first = false;
        js += "[" + std::to_string(i) + "," + json_string(s.id) + "," + json_string(s.title) + "," + json_string(s.text) + "]";
      }
    }
    js += "\n]};\n";
    emit("assets/search-index.js", js);
  }

  void copy_tree(const fs::path& from, const fs::path& to, const fs::path& skip_dir) {
    if (!fs::is_directory(from)) return;
    for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator(); ++it) {
      if (!skip_dir.empty() && it->is_directory() && it->path() == skip_dir) {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      fs::path rel = fs::relative(it->path(), from);
      if (rel.filename().string().front() == '.') continue;
      sync_file(it->path(), to / rel);
      outputs_.push_back((fs::relative(to, opt_.out_dir) / rel).generic_string());
    }
  }

  void copy_assets() {
    copy_tree(web_, opt_.out_dir / "assets", web_ / "templates");
    if (!opt_.bundle_dir.empty()) {
      if (!fs::is_directory(opt_.bundle_dir)) {
        result_.warnings.push_back("--bundle " + opt_.bundle_dir.generic_string() + " is not a directory; widgets will not load");
      } else {
        copy_tree(opt_.bundle_dir, opt_.out_dir / "assets", {});
      }
    }
    // Non-Markdown files of the book (figures, downloads) keep their relative paths.
    for (auto it = fs::recursive_directory_iterator(opt_.content_dir); it != fs::recursive_directory_iterator(); ++it) {
      if (!it->is_regular_file()) continue;
      fs::path rel = fs::relative(it->path(), opt_.content_dir);
      std::string name = rel.filename().string();
      if (name.front() == '.' || ends_with(name, ".md")) continue;
      sync_file(it->path(), opt_.out_dir / rel);
      outputs_.push_back(rel.generic_string());
    }
  }

  void write_sitemap() {
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<!-- Relative URLs unless the book was built with --site-url (the host is not known at build time). -->\n"
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    x += "  <url><loc>" + html_escape(absolute("index.html")) + "</loc></url>\n";
    for (const auto& ch : book_.chapters) x += "  <url><loc>" + html_escape(absolute(ch.output)) + "</loc></url>\n";
    x += "  <url><loc>" + html_escape(absolute("print.html")) + "</loc></url>\n</urlset>\n";
    emit("sitemap.xml", x);
  }

  void write_manifest_and_worker() {
    std::string m = "{\n  \"name\": " + json_string(book_.title) + ",\n  \"short_name\": " + json_string(book_.title) +
                    ",\n  \"description\": " + json_string(book_description()) +
                    ",\n  \"start_url\": \"index.html\",\n  \"scope\": \"./\",\n  \"display\": \"standalone\",\n"
                    "  \"background_color\": \"#ffffff\",\n  \"theme_color\": \"#1f5f8b\",\n"
                    "  \"icons\": [{\"src\": \"assets/icon.svg\", \"sizes\": \"any\", \"type\": \"image/svg+xml\", \"purpose\": \"any\"}]\n}\n";
    emit("manifest.webmanifest", m);
    // The build stamp: a digest of every output, polled by `serve` for live reload
    // and used as the service worker's cache version.
    std::sort(outputs_.begin(), outputs_.end());
    outputs_.erase(std::unique(outputs_.begin(), outputs_.end()), outputs_.end());
    std::string digest_input;
    for (const auto& rel : outputs_) {
      std::string data;
      read_file_if_exists(opt_.out_dir / rel, data);
      digest_input += rel + '\0' + short_hash(data) + '\0';
    }
    std::string stamp = short_hash(digest_input);
    emit("assets/build-stamp.js", "window.SCALEBOOK_BUILD_STAMP = \"" + stamp + "\";\n");
    std::string files = "[\"./\"";
    for (const auto& rel : outputs_) files += "," + json_string(rel);
    files += "]";  // outputs_ already holds build-stamp.js (emitted above); addAll rejects duplicates
    std::string tpl;
    if (!read_file_if_exists(web_ / "templates" / "sw.js", tpl)) return;
    emit("sw.js", fill_template(tpl, {{"version", stamp}, {"files", files}}));
  }
};

}  // namespace

BuildResult build_site(const SiteOptions& options) { return SiteBuilder(options).run(); }

std::string word_count_table(const BuildResult& r) {
  size_t width = 7;
  for (const auto& c : r.chapters) width = std::max(width, c.source.size());
  std::string out;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-*s %8s %8s\n", static_cast<int>(width), "chapter", "words", "widgets");
  out += buf;
  size_t total = 0;
  int widgets = 0;
  for (const auto& c : r.chapters) {
    std::snprintf(buf, sizeof buf, "%-*s %8zu %8d%s\n", static_cast<int>(width), c.source.c_str(), c.words, c.widgets,
                  c.missing ? "  (missing)" : "");
    out += buf;
    total += c.words;
    widgets += c.widgets;
  }
  std::snprintf(buf, sizeof buf, "%-*s %8zu %8d\n", static_cast<int>(width), "total", total, widgets);
  out += buf;
  return out;
}

}  // namespace scalebook::site
