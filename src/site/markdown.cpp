#include "site/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "site/highlight.h"
#include "site/svg_inline.h"
#include "site/text.h"
#include "site/widget_fence.h"

namespace scalebook::site {

// [SECTION] cmark plumbing ---------------------------------------------------

namespace {

constexpr int kCmarkOptions = CMARK_OPT_UNSAFE;

struct Parsed {
  cmark_parser* parser = nullptr;
  cmark_node* doc = nullptr;
  ~Parsed() {
    if (doc) cmark_node_free(doc);
    if (parser) cmark_parser_free(parser);
  }
  std::string render(cmark_node* node) const {
    char* html = cmark_render_html(node, kCmarkOptions, cmark_parser_get_syntax_extensions(parser));
    std::string out(html);
    std::free(html);
    return out;
  }
};

void parse(Parsed& p, const std::string& markdown) {
  cmark_gfm_core_extensions_ensure_registered();
  p.parser = cmark_parser_new(kCmarkOptions);
  for (const char* name : {"table", "strikethrough", "autolink", "tasklist"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) cmark_parser_attach_syntax_extension(p.parser, ext);
  }
  cmark_parser_feed(p.parser, markdown.data(), markdown.size());
  p.doc = cmark_parser_finish(p.parser);
}

std::string literal(cmark_node* n) {
  const char* s = cmark_node_get_literal(n);
  return s ? s : "";
}

// Plain text of an inline subtree (text and code spans; breaks become spaces).
void plain_text(cmark_node* n, std::string& out) {
  for (cmark_node* c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
    switch (cmark_node_get_type(c)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE: out += literal(c); break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK: out += ' '; break;
      default: plain_text(c, out);
    }
  }
}
std::string plain_text(cmark_node* n) {
  std::string s;
  plain_text(n, s);
  return s;
}

int line_of(cmark_node* n) {
  for (cmark_node* p = n; p; p = cmark_node_parent(p))
    if (int l = cmark_node_get_start_line(p); l > 0) return l;
  return 0;
}

cmark_node* html_block(const std::string& html) {
  cmark_node* n = cmark_node_new(CMARK_NODE_HTML_BLOCK);
  cmark_node_set_literal(n, html.c_str());
  return n;
}

void replace_node(cmark_node* old_node, cmark_node* new_node) {
  cmark_node_insert_before(old_node, new_node);
  cmark_node_unlink(old_node);
  cmark_node_free(old_node);
}

bool is_type(cmark_node* n, const char* type_string) {
  const char* t = cmark_node_get_type_string(n);
  return t && std::string(t) == type_string;
}

bool is_external(const std::string& href) {
  if (starts_with(href, "//")) return true;
  for (size_t i = 0; i < href.size(); ++i) {
    char c = href[i];
    if (c == ':') return i > 0;
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) return false;
  }
  return false;
}

// "… {#custom-id}" at the end of a heading: strips it and returns the id.
std::string take_explicit_id(cmark_node* heading) {
  cmark_node* last = cmark_node_last_child(heading);
  if (!last || cmark_node_get_type(last) != CMARK_NODE_TEXT) return {};
  std::string s = literal(last);
  std::string t = trim(s);
  if (t.size() < 4 || t.back() != '}') return {};
  size_t open = t.rfind("{#");
  if (open == std::string::npos) return {};
  std::string id = t.substr(open + 2, t.size() - open - 3);
  if (id.empty()) return {};
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':')) return {};
  std::string rest = s.substr(0, s.rfind("{#"));
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.pop_back();
  cmark_node_set_literal(last, rest.c_str());
  return id;
}

std::string shorten(const std::string& text, size_t max_chars) {
  std::string t = trim(text);
  if (t.size() <= max_chars) return t;
  size_t cut = t.rfind(' ', max_chars - 1);
  if (cut == std::string::npos || cut < max_chars / 2) cut = max_chars - 1;
  while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return t.substr(0, cut) + "…";
}

}  // namespace

// [SECTION] the page renderer ------------------------------------------------

namespace {

struct PageRenderer {
  const RenderOptions& opt;
  std::vector<Diagnostic>& errors;
  Parsed doc;
  RenderedPage page;
  IdAllocator ids{""};
  std::vector<std::pair<cmark_node*, std::string>> heading_ids;  // node → id
  int svg_count = 0;

  PageRenderer(const RenderOptions& o, std::vector<Diagnostic>& e) : opt(o), errors(e), ids(o.id_prefix) {}

  void error(int line, const std::string& m) { errors.push_back({opt.shown_file, line, m}); }

  std::string rewrite(const std::string& href) const {
    if (opt.rewrite_href) return opt.rewrite_href(href);
    return is_external(href) ? href : md_to_html_href(href);
  }

  // collect: ids, outline, search text, description, word count.
  void collect() {
    SearchSection current;
    cmark_iter* it = cmark_iter_new(doc.doc);
    cmark_event_type ev;
    bool in_heading = false;
    std::string prose;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
      cmark_node* n = cmark_iter_get_node(it);
      cmark_node_type t = cmark_node_get_type(n);
      if (t == CMARK_NODE_HEADING && ev == CMARK_EVENT_ENTER) {
        std::string explicit_id = take_explicit_id(n);
        std::string text = trim(plain_text(n));
        std::string id;
        if (!explicit_id.empty()) {
          if (!ids.claim(explicit_id)) error(line_of(n), "duplicate id '" + explicit_id + "'");
          id = opt.id_prefix + explicit_id;
        } else {
          id = ids.unique(slugify(text));
        }
        heading_ids.emplace_back(n, id);
        int level = cmark_node_get_heading_level(n);
        page.headings.push_back({level, id, text, line_of(n)});
        if (level == 1 && page.h1.empty()) page.h1 = text;
        if (!current.text.empty() || !current.title.empty()) page.sections.push_back(std::move(current));
        current = {id, text, ""};
        in_heading = true;
        continue;
      }
      if (t == CMARK_NODE_HEADING && ev == CMARK_EVENT_EXIT) {
        in_heading = false;
        continue;
      }
      if (in_heading) continue;
      if (ev == CMARK_EVENT_ENTER) {
        switch (t) {
          case CMARK_NODE_TEXT:
          case CMARK_NODE_CODE:
            current.text += literal(n);
            prose += literal(n);
            break;
          case CMARK_NODE_SOFTBREAK:
          case CMARK_NODE_LINEBREAK:
            current.text += ' ';
            prose += ' ';
            break;
          case CMARK_NODE_CODE_BLOCK: {
            const char* info = cmark_node_get_fence_info(n);
            if (info && is_widget_info(info)) {
              std::string name = trim(trim(info).substr(6));
              if (const auto* w = widgets::find_widget(name))
                current.text += std::string(w->title) + ". " + std::string(w->description) + "\n";
            } else {
              current.text += literal(n) + "\n";
            }
            break;
          }
          case CMARK_NODE_PARAGRAPH:
            if (page.description.empty() && cmark_node_parent(n) == doc.doc) {
              std::string d = trim(plain_text(n));
              if (!d.empty() && !(cmark_node_first_child(n) && cmark_node_get_type(cmark_node_first_child(n)) == CMARK_NODE_IMAGE))
                page.description = shorten(d, 160);
            }
            break;
          default: break;
        }
      } else if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_ITEM || t == CMARK_NODE_BLOCK_QUOTE || is_type(n, "table_cell")) {
        current.text += '\n';
        prose += '\n';
      }
    }
    cmark_iter_free(it);
    if (!current.text.empty() || !current.title.empty()) page.sections.push_back(std::move(current));
    for (auto& s : page.sections) s.text = trim(s.text);
    for (const auto& h : page.headings) prose += " " + h.text;
    page.words = count_words(prose);
  }

  std::vector<cmark_node*> nodes_of(cmark_node_type type) {
    std::vector<cmark_node*> out;
    cmark_iter* it = cmark_iter_new(doc.doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
      if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(cmark_iter_get_node(it)) == type) out.push_back(cmark_iter_get_node(it));
    cmark_iter_free(it);
    return out;
  }

  std::vector<cmark_node*> nodes_named(const char* type_string) {
    std::vector<cmark_node*> out;
    cmark_iter* it = cmark_iter_new(doc.doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
      if (ev == CMARK_EVENT_ENTER && is_type(cmark_iter_get_node(it), type_string)) out.push_back(cmark_iter_get_node(it));
    cmark_iter_free(it);
    return out;
  }

  void links() {
    for (cmark_node* n : nodes_of(CMARK_NODE_LINK)) {
      const char* url = cmark_node_get_url(n);
      std::string href = url ? url : "";
      page.links.push_back({href, line_of(n), false});
      std::string out = rewrite(href);
      if (out != href) cmark_node_set_url(n, out.c_str());
    }
    for (cmark_node* n : nodes_of(CMARK_NODE_IMAGE)) {
      const char* url = cmark_node_get_url(n);
      page.links.push_back({url ? url : "", line_of(n), true});
    }
  }

  // The id of the section a node sits in (for "run it online" links in print).
  std::string section_of(int line) const {
    std::string id;
    for (const auto& h : page.headings)
      if (h.line <= line) id = h.id;
    return id;
  }

  void code_blocks() {
    for (cmark_node* n : nodes_of(CMARK_NODE_CODE_BLOCK)) {
      const char* info_c = cmark_node_get_fence_info(n);
      std::string info = info_c ? info_c : "";
      std::string body = literal(n);
      if (is_widget_info(info)) {
        WidgetFence fence;
        int line = line_of(n);
        if (parse_widget_fence(info, body, line, opt.shown_file, fence, errors)) {
          ++page.widgets;
          page.widget_names.insert(std::string(fence.widget->name));
          if (opt.static_widgets) {
            std::string online = opt.page_href;
            std::string sec = section_of(line);
            if (!sec.empty()) online += "#" + sec.substr(opt.id_prefix.size());
            replace_node(n, html_block(render_widget_static_html(fence, online)));
          } else {
            replace_node(n, html_block(render_widget_html(fence)));
          }
        } else {
          replace_node(n, html_block("<p class=\"sb-error\">Invalid widget fence (see the build log).</p>\n"));
        }
        continue;
      }
      std::string lang = trim(info.substr(0, info.find_first_of(" \t")));
      std::string html = "<pre class=\"sb-code\"><code";
      if (!lang.empty()) html += " class=\"language-" + html_escape(lang) + "\"";
      html += ">" + highlight_code(body, lang) + "</code></pre>\n";
      replace_node(n, html_block(html));
    }
  }

  void figures() {
    for (cmark_node* p : nodes_of(CMARK_NODE_PARAGRAPH)) {
      cmark_node* img = cmark_node_first_child(p);
      if (!img || cmark_node_get_type(img) != CMARK_NODE_IMAGE || cmark_node_next(img)) continue;
      std::string url = cmark_node_get_url(img) ? cmark_node_get_url(img) : "";
      std::string title = cmark_node_get_title(img) ? cmark_node_get_title(img) : "";
      std::string alt = trim(plain_text(img));
      std::string media;
      bool local = !is_external(url) && !starts_with(url, "/") && !url.empty();
      if (local && ends_with(url, ".svg")) {
        std::string svg;
        if (read_file_if_exists(opt.source_dir / url, svg)) {
          std::string prefix = opt.id_prefix + "svg" + std::to_string(++svg_count) + "-";
          media = sanitize_svg(svg, alt, prefix);
        }
      }
      if (media.empty()) {
        if (title.empty()) continue;  // ordinary image paragraph: leave to cmark
        media = "<img src=\"" + html_escape(url) + "\" alt=\"" + html_escape(alt) + "\" loading=\"lazy\">";
      }
      std::string html = "<figure class=\"sb-figure\">" + media;
      if (!title.empty()) html += "<figcaption>" + html_escape(title) + "</figcaption>";
      html += "</figure>\n";
      replace_node(p, html_block(html));
    }
  }

  void callouts() {
    static const std::vector<std::pair<std::string, std::string>> kinds = {
        {"NOTE", "Note"}, {"TIP", "Tip"}, {"IMPORTANT", "Important"}, {"WARNING", "Warning"}, {"CAUTION", "Caution"}};
    for (cmark_node* q : nodes_of(CMARK_NODE_BLOCK_QUOTE)) {
      cmark_node* para = cmark_node_first_child(q);
      if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) continue;
      cmark_node* first = cmark_node_first_child(para);
      if (!first || cmark_node_get_type(first) != CMARK_NODE_TEXT) continue;
      std::string text = literal(first);
      std::string kind, label;
      for (auto& [k, l] : kinds) {
        std::string marker = "[!" + k + "]";
        std::string head = text.substr(0, marker.size());
        for (auto& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (head == marker) {
          kind = k;
          label = l;
          text = text.substr(marker.size());
          break;
        }
      }
      if (kind.empty()) continue;
      // Text after the marker on the same line is a custom title.
      std::string custom = trim(text);
      cmark_node* after = cmark_node_next(first);
      if (!custom.empty() && (!after || cmark_node_get_type(after) == CMARK_NODE_SOFTBREAK)) {
        label = custom;
        text.clear();
      }
      if (trim(text).empty()) {
        cmark_node_free(first);  // unlinks too
        cmark_node* lead = cmark_node_first_child(para);
        if (lead && (cmark_node_get_type(lead) == CMARK_NODE_SOFTBREAK || cmark_node_get_type(lead) == CMARK_NODE_LINEBREAK))
          cmark_node_free(lead);
      } else {
        std::string rest = text;
        size_t s = rest.find_first_not_of(" \t");
        cmark_node_set_literal(first, rest.substr(s == std::string::npos ? rest.size() : s).c_str());
      }
      if (!cmark_node_first_child(para)) cmark_node_free(para);
      std::string cls = kind;
      for (auto& c : cls) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      cmark_node* open = html_block("<aside class=\"callout " + cls + "\" role=\"note\">\n<p class=\"callout-title\">" +
                                    html_escape(label) + "</p>");
      cmark_node* close = html_block("</aside>");
      cmark_node_insert_before(q, open);
      while (cmark_node* c = cmark_node_first_child(q)) {
        cmark_node_unlink(c);
        cmark_node_insert_before(q, c);
      }
      cmark_node_insert_before(q, close);
      cmark_node_unlink(q);
      cmark_node_free(q);
    }
  }

  void headings() {
    for (auto& [n, id] : heading_ids) {
      int level = cmark_node_get_heading_level(n);
      std::string inner = doc.render(n);
      // "<hN>inner</hN>\n" → inner
      size_t a = inner.find('>');
      size_t b = inner.rfind("</h");
      inner = a != std::string::npos && b != std::string::npos && b > a ? inner.substr(a + 1, b - a - 1) : inner;
      std::string tag = "h" + std::to_string(level);
      std::string html = "<" + tag + " id=\"" + html_escape(id) + "\">" + inner + "<a class=\"sb-anchor\" href=\"#" +
                         html_escape(id) + "\" aria-label=\"Link to this section\">#</a></" + tag + ">\n";
      replace_node(n, html_block(html));
    }
  }

  void tables() {
    for (cmark_node* t : nodes_named("table")) {
      if (cmark_node_parent(t) != doc.doc) continue;
      cmark_node_insert_before(t, html_block("<div class=\"sb-table-wrap\">"));
      cmark_node_insert_after(t, html_block("</div>"));
    }
  }

  // Every id="…" in the output, to resolve #anchors (raw HTML ids count too).
  void scan_ids() {
    const std::string& h = page.html;
    size_t i = 0;
    while ((i = h.find(" id=\"", i)) != std::string::npos) {
      size_t s = i + 5, e = h.find('"', s);
      if (e == std::string::npos) break;
      page.ids.insert(h.substr(s, e - s));
      i = e;
    }
  }

  void run(const std::string& markdown) {
    parse(doc, markdown);
    cmark_consolidate_text_nodes(doc.doc);
    collect();
    links();
    code_blocks();
    figures();
    callouts();
    headings();
    tables();
    page.html = doc.render(doc.doc);
    scan_ids();
  }
};

}  // namespace

RenderedPage render_markdown(const std::string& markdown, const RenderOptions& options, std::vector<Diagnostic>& errors) {
  PageRenderer r(options, errors);
  r.run(markdown);
  return std::move(r.page);
}

std::string render_plain_cmark(const std::string& markdown) {
  Parsed p;
  parse(p, markdown);
  return p.render(p.doc);
}

}  // namespace scalebook::site
