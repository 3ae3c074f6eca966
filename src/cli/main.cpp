// scalebook — the book's command-line tool.
//   scalebook build   [options]   content/ → build/site/
//   scalebook serve   [options]   build, serve, rebuild on change
//   scalebook check   [options]   links, anchors, images, ids; word counts
//   scalebook render  post.md -o post.html
//   scalebook loader  --out scalebook.js
//   scalebook sim <model> [--set k=v]... [--json] [inputs]
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/sim_args.h"

namespace {

void print_usage() {
  std::fputs(
      "usage: scalebook <command> [options]\n"
      "commands:\n"
      "  build    build the book from content/ into build/site/\n"
      "  serve    build, serve on http://127.0.0.1:8000 and rebuild on change\n"
      "  check    check links, anchors, images and ids; print word counts\n"
      "  render   render one Markdown post with working widgets into one page\n"
      "  loader   write the widget loader (scalebook.js) assembled from web/loader/\n"
      "  sim      run a model from the command line (scalebook sim --help)\n"
      "Run 'scalebook <command> --help' for the options of a command.\n",
      stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage();
    return args.empty() ? 2 : 0;
  }
  const std::string cmd = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (cmd == "sim") {
      std::string out, err;
      int rc = scalebook::cli::run_sim(rest, out, err);
      std::fwrite(out.data(), 1, out.size(), stdout);
      if (!err.empty()) std::fprintf(stderr, "error: %s\n", err.c_str());
      return rc;
    }
    if (cmd == "build") return scalebook::cli::cmd_build(rest);
    if (cmd == "serve") return scalebook::cli::cmd_serve(rest);
    if (cmd == "check") return scalebook::cli::cmd_check(rest);
    if (cmd == "render") return scalebook::cli::cmd_render(rest);
    if (cmd == "loader") return scalebook::cli::cmd_loader(rest);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "error: unknown command '%s' (run 'scalebook --help')\n", cmd.c_str());
  return 2;
}
