#include "site/render_post.h"

#include <algorithm>
#include <map>

#include "site/markdown.h"
#include "site/text.h"

namespace fs = std::filesystem;

namespace scalebook::site {

namespace {

// Makes script text safe inside <script>…</script>.
std::string script_safe(std::string js) {
  size_t pos = 0;
  while ((pos = js.find("</script", pos)) != std::string::npos) {
    js.replace(pos, 2, "<\\/");
    pos += 3;
  }
  return js;
}

std::vector<fs::path> bundle_scripts(const fs::path& dir) {
  std::vector<fs::path> out;
  if (dir.empty() || !fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".js" && starts_with(e.path().filename().string(), "scalebook-widgets"))
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

PostResult render_post(const PostOptions& o) {
  PostResult r;
  std::string markdown;
  if (!read_file_if_exists(o.input, markdown)) {
    r.errors.push_back({o.input.generic_string(), 0, "cannot read the post"});
    return r;
  }
  RenderOptions ro;
  ro.shown_file = o.input.generic_string();
  ro.source_dir = o.input.parent_path().empty() ? fs::path(".") : o.input.parent_path();
  RenderedPage page = render_markdown(markdown, ro, r.errors);
  if (!r.errors.empty()) return r;
  for (const auto& l : page.links) {
    if (l.image && !ends_with(l.href, ".svg") && l.href.find(':') == std::string::npos)
      r.notes.push_back("copy the image '" + l.href + "' next to the page");
  }
  std::string tpl;
  if (!read_file_if_exists(o.web_dir / "templates" / "post.html", tpl)) {
    r.errors.push_back({(o.web_dir / "templates" / "post.html").generic_string(), 0, "post template not found (use --web DIR)"});
    return r;
  }
  std::string css, loader;
  read_file_if_exists(o.web_dir / "book.css", css);
  bool have_loader = read_file_if_exists(o.web_dir / "scalebook.js", loader);
  auto bundle = bundle_scripts(o.bundle_dir);
  if (page.widgets > 0 && bundle.empty())
    r.warnings.push_back("no widget bundle found (pass --bundle DIR with scalebook-widgets.js); widgets will show their fallback text");
  if (page.widgets > 0 && !have_loader) r.warnings.push_back("web/scalebook.js (the widget loader) not found");

  std::map<std::string, std::string> v;
  std::string title = page.h1.empty() ? o.input.stem().string() : page.h1;
  v["title"] = html_escape(title);
  v["description"] = html_escape(page.description);
  v["content"] = page.html;
  std::string head, tail;
  if (o.inline_assets) {
    head += "<style>\n" + css + "\n</style>\n";
    if (page.widgets > 0) {
      for (const auto& b : bundle) tail += "<script>\n" + script_safe(read_file(b)) + "\n</script>\n";
      if (have_loader) tail += "<script>\n" + script_safe(loader) + "\n</script>\n";
    }
  } else {
    head += "<link rel=\"stylesheet\" href=\"assets/book.css\">\n";
    r.notes.push_back("copy " + (o.web_dir / "book.css").generic_string() + " to assets/book.css next to the page");
    if (page.widgets > 0) {
      head += "<script src=\"assets/scalebook.js\" defer></script>\n";
      r.notes.push_back("copy " + (o.web_dir / "scalebook.js").generic_string() + " to assets/scalebook.js");
      for (const auto& b : bundle)
        r.notes.push_back("copy " + b.generic_string() + " to assets/" + b.filename().string());
    }
  }
  v["head"] = head;
  v["scripts"] = tail;
  write_file(o.output, fill_template(tpl, v));
  return r;
}

}  // namespace scalebook::site
