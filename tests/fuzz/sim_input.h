// sim_input.h — shared by the `scalebook sim` input-file fuzzers: writes the fuzz
// input to a per-process temporary file and runs `scalebook sim <model> --<option>
// FILE` through scalebook::cli::run_sim, the entry point main() uses (the readers
// are file-based and private to their command files).
//
// The first input byte picks a value of the model's Choice parameter `choice_param`
// (from the widget catalog, so new algorithms are fuzzed automatically); the rest
// is the file. Properties beyond "no crash, no UB, no leak":
//   - the exit code is 0 (ran) or 2 (usage error), never anything else;
//   - exit 2 comes with a message;
//   - a message naming a line ("line N:" or "FILE:N:") names a line of the file.
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/sim_args.h"
#include "widgets/catalog.h"

namespace scalebook::fuzz {

[[noreturn]] inline void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "property violated: %s: %s\n", what, detail.c_str());
  std::abort();
}

inline int run_sim_on_file(const char* model, const char* option, const char* choice_param, const std::uint8_t* data,
                           std::size_t size) {
  static const std::string path = "/tmp/scalebook-fuzz-" + std::to_string(getpid()) + "-" + option;
  std::vector<std::string> argv = {model, std::string("--") + option, path};
  if (size > 0) {
    const widgets::WidgetInfo* w = widgets::find_widget(model);
    const widgets::ParamSpec* p = w ? widgets::find_param(*w, choice_param) : nullptr;
    if (p && !p->choices.empty()) {
      argv.push_back("--set");
      argv.push_back(std::string(choice_param) + "=" + std::string(p->choices[data[0] % p->choices.size()]));
    }
    ++data;
    --size;
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fail("cannot write", path);
  if (size) std::fwrite(data, 1, size, f);
  std::fclose(f);

  std::string out, err;
  const int rc = scalebook::cli::run_sim(argv, out, err);
  if (rc != 0 && rc != 2) fail("exit code not 0 or 2", std::to_string(rc));
  if (rc == 2 && err.empty()) fail("usage error without a message", "");
  if (rc == 2) {
    std::size_t lines = 1;
    for (std::size_t i = 0; i < size; ++i) lines += data[i] == '\n';
    std::size_t at = std::string::npos;
    if (err.rfind("line ", 0) == 0) at = 5;
    else if (err.rfind(path + ":", 0) == 0) at = path.size() + 1;
    if (at != std::string::npos) {
      const std::size_t n = std::strtoull(err.c_str() + at, nullptr, 10);
      if (n < 1 || n > lines) fail("message names a line outside the file", err);
    }
  }
  return 0;
}

}  // namespace scalebook::fuzz
