// site_commands.cpp — `scalebook build | check | serve | render | loader`.
// Option parsing and messages only; the work is in src/site.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "site/http_server.h"
#include "site/loader.h"
#include "site/render_post.h"
#include "site/site.h"
#include "site/text.h"

namespace fs = std::filesystem;
namespace site = scalebook::site;

namespace scalebook::cli {

namespace {

const char* kBuildHelp =
    "usage: scalebook build [--content DIR] [--out DIR] [--bundle DIR] [--web DIR] [--site-url URL] [--quiet]\n"
    "  --content DIR   the book: SUMMARY.md + chapters (default: content)\n"
    "  --out DIR       output folder (default: build/site)\n"
    "  --bundle DIR    the Wasm widget bundle; every file is copied into OUT/assets/\n"
    "  --web DIR       templates and static files (default: ./web, else the source tree's web/)\n"
    "  --site-url URL  absolute base URL for sitemap.xml and og:url (default: relative URLs)\n"
    "  --quiet         print only errors and warnings\n"
    "Checks links, anchors, images, ids and widget fences; exits 1 on any error.\n";

const char* kCheckHelp =
    "usage: scalebook check [--content DIR] [--web DIR]\n"
    "Renders the book without writing anything; reports broken links and anchors, missing\n"
    "images, duplicate ids and bad widget fences as FILE:LINE: message, then prints a\n"
    "word-count table per chapter. Exits 1 on any error.\n";

const char* kServeHelp =
    "usage: scalebook serve [--port N] [build options]\n"
    "Builds the book, serves OUT on http://127.0.0.1:PORT (default 8000) and rebuilds when\n"
    "content/ or web/ (or the bundle) change; open pages reload themselves. Stop with Ctrl-C.\n";

const char* kRenderHelp =
    "usage: scalebook render POST.md -o POST.html [--bundle DIR] [--web DIR] [--link-assets]\n"
    "Renders one Markdown post into one standalone page with working widgets. By default the\n"
    "stylesheet, the widget loader and the bundle are inlined (one self-contained file);\n"
    "--link-assets references them as assets/… instead and lists what to copy.\n";

const char* kLoaderHelp =
    "usage: scalebook loader --out FILE [--web DIR]\n"
    "Writes the widget loader (scalebook.js): the files of WEB/loader/ assembled into the one\n"
    "classic script that `scalebook build` writes as assets/scalebook.js. For pages built by\n"
    "other means (tests, benchmarks, an author's own site).\n";

struct Options {
  site::SiteOptions site;
  int port = 8000;
  bool quiet = false;
  bool help = false;
  bool link_assets = false;
  std::string input, output;
};

bool parse(const std::vector<std::string>& args, Options& o, bool allow_port, bool allow_render, std::string& error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) {
        error = a + " needs a value";
        return false;
      }
      out = args[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") o.help = true;
    else if (a == "--quiet" || a == "-q") o.quiet = true;
    else if (a == "--content") { if (!value(v)) return false; o.site.content_dir = v; }
    else if (a == "--out" || (allow_render && a == "-o")) {
      if (!value(v)) return false;
      if (allow_render) o.output = v;
      else o.site.out_dir = v;
    }
    else if (a == "--bundle") { if (!value(v)) return false; o.site.bundle_dir = v; }
    else if (a == "--web") { if (!value(v)) return false; o.site.web_dir = v; }
    else if (a == "--site-url") { if (!value(v)) return false; o.site.site_url = v; }
    else if (allow_port && a == "--port") {
      if (!value(v)) return false;
      try {
        size_t used = 0;
        o.port = std::stoi(v, &used);
        if (used != v.size() || o.port < 1 || o.port > 65535) throw 0;
      } catch (...) {
        error = "--port expects a number in [1, 65535], got \"" + v + "\"";
        return false;
      }
    }
    else if (allow_render && a == "--link-assets") o.link_assets = true;
    else if (allow_render && !a.empty() && a[0] != '-' && o.input.empty()) o.input = a;
    else {
      error = "unknown option '" + a + "'";
      return false;
    }
  }
  return true;
}

void print_diagnostics(const site::BuildResult& r) {
  for (const auto& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  for (const auto& e : r.errors) std::fprintf(stderr, "%s\n", e.str().c_str());
}

int usage_error(const std::string& msg, const char* help) {
  std::fprintf(stderr, "error: %s\n%s", msg.c_str(), help);
  return 2;
}

int run_build(const Options& o) {
  site::BuildResult r = site::build_site(o.site);
  print_diagnostics(r);
  if (!r.ok()) {
    std::fprintf(stderr, "build failed: %zu error%s\n", r.errors.size(), r.errors.size() == 1 ? "" : "s");
    return 1;
  }
  if (!o.quiet) {
    size_t words = 0;
    int widgets = 0;
    for (const auto& c : r.chapters) {
      words += c.words;
      widgets += c.widgets;
    }
    std::printf("built %zu chapters (%zu words, %d widgets) into %s in %.0f ms\n", r.chapters.size(), words, widgets,
                o.site.out_dir.generic_string().c_str(), r.seconds * 1000.0);
  }
  return 0;
}

// Newest mtime under the watched folders (polling: portable and good enough).
fs::file_time_type newest_mtime(const std::vector<fs::path>& roots) {
  fs::file_time_type newest = fs::file_time_type::min();  // libstdc++'s file clock epoch is in 2174
  std::error_code ec;
  for (const auto& root : roots) {
    if (root.empty() || !fs::exists(root, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      auto t = it->last_write_time(ec);
      if (!ec && t > newest) newest = t;
    }
    auto t = fs::last_write_time(root, ec);
    if (!ec && t > newest) newest = t;
  }
  return newest;
}

}  // namespace

int cmd_build(const std::vector<std::string>& args) {
  Options o;
  std::string err;
  if (!parse(args, o, false, false, err)) return usage_error(err, kBuildHelp);
  if (o.help) {
    std::fputs(kBuildHelp, stdout);
    return 0;
  }
  return run_build(o);
}

int cmd_check(const std::vector<std::string>& args) {
  Options o;
  std::string err;
  if (!parse(args, o, false, false, err)) return usage_error(err, kCheckHelp);
  if (o.help) {
    std::fputs(kCheckHelp, stdout);
    return 0;
  }
  o.site.write = false;
  site::BuildResult r = site::build_site(o.site);
  print_diagnostics(r);
  std::fputs(site::word_count_table(r).c_str(), stdout);
  if (!r.ok()) {
    std::fprintf(stderr, "check failed: %zu error%s\n", r.errors.size(), r.errors.size() == 1 ? "" : "s");
    return 1;
  }
  std::printf("check passed\n");
  return 0;
}

int cmd_serve(const std::vector<std::string>& args) {
  Options o;
  std::string err;
  if (!parse(args, o, true, false, err)) return usage_error(err, kServeHelp);
  if (o.help) {
    std::fputs(kServeHelp, stdout);
    return 0;
  }
  o.site.live_reload = true;
  int rc = run_build(o);
  if (rc != 0) std::fprintf(stderr, "serving anyway; fix the errors and save to rebuild\n");
  site::HttpServer server(o.site.out_dir);
  std::string listen_error;
  if (!server.listen("127.0.0.1", o.port, listen_error)) {
    std::fprintf(stderr, "error: %s\n", listen_error.c_str());
    return 1;
  }
  std::printf("serving %s on http://127.0.0.1:%d/  (Ctrl-C to stop)\n", o.site.out_dir.generic_string().c_str(), o.port);
  std::fflush(stdout);
  fs::path web = o.site.web_dir.empty() ? site::default_web_dir() : o.site.web_dir;
  std::vector<fs::path> watched = {o.site.content_dir, web, o.site.bundle_dir};
  auto last = newest_mtime(watched);
  auto last_poll = std::chrono::steady_clock::now();
  while (true) {
    server.serve_for(std::chrono::milliseconds(250));
    auto now = std::chrono::steady_clock::now();
    if (now - last_poll < std::chrono::milliseconds(500)) continue;
    last_poll = now;
    auto t = newest_mtime(watched);
    if (t != last) {
      last = t;
      std::printf("change detected, rebuilding…\n");
      std::fflush(stdout);
      run_build(o);
      std::fflush(stdout);
    }
  }
}

int cmd_render(const std::vector<std::string>& args) {
  Options o;
  std::string err;
  if (!parse(args, o, false, true, err)) return usage_error(err, kRenderHelp);
  if (o.help) {
    std::fputs(kRenderHelp, stdout);
    return 0;
  }
  if (o.input.empty()) return usage_error("render needs a Markdown file", kRenderHelp);
  if (o.output.empty()) o.output = fs::path(o.input).replace_extension(".html").string();
  site::PostOptions po;
  po.input = o.input;
  po.output = o.output;
  po.web_dir = o.site.web_dir.empty() ? site::default_web_dir() : o.site.web_dir;
  po.bundle_dir = o.site.bundle_dir;
  po.inline_assets = !o.link_assets;
  site::PostResult r = site::render_post(po);
  for (const auto& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  for (const auto& e : r.errors) std::fprintf(stderr, "%s\n", e.str().c_str());
  if (!r.errors.empty()) return 1;
  std::printf("wrote %s\n", o.output.c_str());
  for (const auto& n : r.notes) std::printf("%s\n", n.c_str());
  return 0;
}

int cmd_loader(const std::vector<std::string>& args) {
  std::string out, web;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kLoaderHelp, stdout);
      return 0;
    }
    if ((a == "--out" || a == "-o" || a == "--web") && i + 1 < args.size()) {
      (a == "--web" ? web : out) = args[++i];
      continue;
    }
    return usage_error(a == "--out" || a == "-o" || a == "--web" ? a + " needs a value" : "unknown option '" + a + "'",
                       kLoaderHelp);
  }
  if (out.empty()) return usage_error("loader needs --out FILE", kLoaderHelp);
  const site::LoaderResult r = site::assemble_loader(web.empty() ? site::default_web_dir() : fs::path(web));
  if (!r.error.empty()) {
    std::fprintf(stderr, "%s: %s\n", r.file.c_str(), r.error.c_str());
    return 1;
  }
  site::write_file(out, r.js);  // throws with the reason when it cannot (main prints it)
  return 0;
}

}  // namespace scalebook::cli
