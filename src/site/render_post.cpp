#include "site/render_post.h"

#include <algorithm>
#include <map>
#include <set>

#include "site/loader.h"
#include "site/markdown.h"
#include "site/text.h"

namespace fs = std::filesystem;

namespace scalebook::site {

namespace {

// The file stem of a bundle (src/platform/web/CMakeLists.txt): "all" keeps the plain name.
std::string bundle_stem(const std::string& id) { return id == "all" ? "scalebook-widgets" : "scalebook-widgets." + id; }

// Makes script text safe inside <script>…</script>.
std::string script_safe(std::string js) {
  size_t pos = 0;
  while ((pos = js.find("</script", pos)) != std::string::npos) {
    js.replace(pos, 2, "<\\/");
    pos += 3;
  }
  return js;
}

// The bundle for a post's widgets (src/platform/web/CMakeLists.txt): the one built for
// exactly its set, else "all" (every widget, one core), else one per widget. Returns the
// bundle ids with the widgets each holds; empty when the directory has none of them.
std::vector<std::pair<std::string, std::vector<std::string>>> choose_bundles(const fs::path& dir,
                                                                              const std::set<std::string>& names) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  if (dir.empty() || names.empty()) return out;
  auto has = [&](const std::string& id) { return fs::is_regular_file(dir / (bundle_stem(id) + ".js")); };
  std::string id;
  for (const auto& n : names) id += (id.empty() ? "" : "+") + n;
  std::vector<std::string> all(names.begin(), names.end());
  if (has(id)) {
    out.push_back({id, all});
  } else if (has("all")) {
    out.push_back({"all", all});
  } else {
    for (const auto& n : names)
      if (has(n)) out.push_back({n, {n}});
  }
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
  const LoaderResult assembled = assemble_loader(o.web_dir);  // web/loader/ → one classic script (loader.h)
  const bool have_loader = assembled.error.empty();
  if (have_loader) loader = assembled.js;
  auto bundles = choose_bundles(o.bundle_dir, page.widget_names);
  std::vector<fs::path> bundle;  // the chosen bundles' glue and gzipped Wasm scripts
  std::string index;             // window.ScalebookBundleIndex for exactly those bundles
  for (const auto& [id, names] : bundles) {
    bundle.push_back(o.bundle_dir / (bundle_stem(id) + ".js"));
    bundle.push_back(o.bundle_dir / (bundle_stem(id) + ".wasm.js"));
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "\"" : ",\"") + n + "\"";
    index += (index.empty() ? "" : ",") + ("\"" + id + "\":[" + list + "]");
  }
  index = "window.ScalebookBundleIndex={" + index + "};\n";
  if (page.widgets > 0 && bundles.size() < 1)
    r.warnings.push_back("no widget bundle found (pass --bundle DIR with the scalebook-widgets.* bundles); widgets will show their fallback text");
  else if (bundles.size() > 1)
    r.warnings.push_back("no bundle holds all of the post's widgets together; it loads " + std::to_string(bundles.size()) +
                         " bundles, each with its own copy of the core");
  if (page.widgets > 0 && !have_loader)
    r.warnings.push_back(assembled.file + ": " + assembled.error + " (the widget loader; widgets will show their fallback text)");

  std::map<std::string, std::string> v;
  std::string title = page.h1.empty() ? o.input.stem().string() : page.h1;
  v["title"] = html_escape(title);
  v["description"] = html_escape(page.description);
  v["content"] = page.html;
  std::string head, tail;
  if (o.inline_assets) {
    head += "<style>\n" + css + "\n</style>\n";
    if (page.widgets > 0) {
      if (!bundles.empty()) tail += "<script>\n" + index + "</script>\n";
      for (const auto& b : bundle) tail += "<script>\n" + script_safe(read_file(b)) + "\n</script>\n";
      if (have_loader) tail += "<script>\n" + script_safe(loader) + "\n</script>\n";
    }
  } else {
    head += "<link rel=\"stylesheet\" href=\"assets/book.css\">\n";
    r.notes.push_back("copy " + (o.web_dir / "book.css").generic_string() + " to assets/book.css next to the page");
    if (page.widgets > 0) {
      head += "<script src=\"assets/scalebook.js\" defer></script>\n";
      r.notes.push_back("write the widget loader with `scalebook loader --out assets/scalebook.js`");
      if (!bundles.empty())
        r.notes.push_back("copy " + (o.bundle_dir / "scalebook-widgets.index.js").generic_string() + " to assets/scalebook-widgets.index.js");
      for (const auto& [id, names] : bundles)
        for (const char* ext : {".js", ".wasm", ".wasm.js"})
          r.notes.push_back("copy " + (o.bundle_dir / (bundle_stem(id) + ext)).generic_string() + " to assets/" + bundle_stem(id) + ext);
    }
  }
  v["head"] = head;
  v["scripts"] = tail;
  write_file(o.output, fill_template(tpl, v));
  return r;
}

}  // namespace scalebook::site
