// loader.h — assembles the widget loader, assets/scalebook.js, from its sources.
//
// The loader is authored as a few files by concern under web/loader/ (NN-name.js, run in
// file-name order; 10-config.js lists them) plus web/loader/widget.css, and shipped as the
// one classic script it always was (module scripts do not load from file://, and an
// author embedding one widget adds one <script> tag). Assembly is plain concatenation
// inside one function scope:
//
//   /* banner */
//   (function () {
//   'use strict';
//   var WIDGET_CSS = "…widget.css without its leading comment…";
//   …each part, in order…
//   })();
//
// Deterministic (same sources, same bytes). `scalebook build` and `scalebook render` use
// it; `scalebook loader --out FILE` writes it for tests and tools that build pages of
// their own.
#pragma once
#include <filesystem>
#include <string>

namespace scalebook::site {

struct LoaderResult {
  std::string js;     // the assembled script; empty on error
  std::string file;   // on error: the file or folder at fault ("web/loader/20-x.js")
  std::string error;  // "" or what is wrong with it
};

// `web_dir` is the web/ folder (the one holding loader/).
LoaderResult assemble_loader(const std::filesystem::path& web_dir);

}  // namespace scalebook::site
