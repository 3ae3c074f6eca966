// site_build_bench.cpp — how fast `scalebook build` turns content/ into the site.
//   BM_SiteBuildCold   fresh output folder every iteration (every file written)
//   BM_SiteBuildWarm   same output folder (unchanged files are not rewritten)
//   BM_SiteCheck       render + all checks, nothing written (`scalebook check`)
//   BM_RenderChapter   one chapter through cmark-gfm + our passes, per page
// Run from the repository root (it reads ./content and ./web).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "site/markdown.h"
#include "site/site.h"
#include "site/text.h"

namespace fs = std::filesystem;
using namespace scalebook::site;

namespace {

fs::path repo() { return fs::path(__FILE__).parent_path().parent_path().parent_path(); }

SiteOptions options(const fs::path& out) {
  SiteOptions o;
  o.content_dir = repo() / "content";
  o.web_dir = repo() / "web";
  o.out_dir = out;
  return o;
}

void BM_SiteBuildCold(benchmark::State& state) {
  fs::path out = fs::temp_directory_path() / "sb-bench-cold";
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove_all(out);
    state.ResumeTiming();
    BuildResult r = build_site(options(out));
    if (!r.ok()) state.SkipWithError(r.errors[0].str().c_str());
  }
  fs::remove_all(out);
}
BENCHMARK(BM_SiteBuildCold)->Unit(benchmark::kMillisecond);

void BM_SiteBuildWarm(benchmark::State& state) {
  fs::path out = fs::temp_directory_path() / "sb-bench-warm";
  build_site(options(out));
  size_t chapters = 0;
  for (auto _ : state) {
    BuildResult r = build_site(options(out));
    if (!r.ok()) state.SkipWithError(r.errors[0].str().c_str());
    chapters = r.chapters.size();
  }
  state.counters["chapters"] = static_cast<double>(chapters);
  fs::remove_all(out);
}
BENCHMARK(BM_SiteBuildWarm)->Unit(benchmark::kMillisecond);

void BM_SiteCheck(benchmark::State& state) {
  SiteOptions o = options(fs::temp_directory_path() / "sb-bench-unused");
  o.write = false;
  for (auto _ : state) benchmark::DoNotOptimize(build_site(o));
}
BENCHMARK(BM_SiteCheck)->Unit(benchmark::kMillisecond);

void BM_RenderChapter(benchmark::State& state) {
  // The largest chapter of the book.
  fs::path biggest;
  for (const auto& e : fs::directory_iterator(repo() / "content"))
    if (e.path().extension() == ".md" && (biggest.empty() || fs::file_size(e.path()) > fs::file_size(biggest))) biggest = e.path();
  std::string md = read_file(biggest);
  RenderOptions ro;
  ro.shown_file = biggest.filename().string();
  ro.source_dir = repo() / "content";
  for (auto _ : state) {
    std::vector<Diagnostic> errors;
    benchmark::DoNotOptimize(render_markdown(md, ro, errors));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(md.size()));
  state.SetLabel(biggest.filename().string());
}
BENCHMARK(BM_RenderChapter)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
