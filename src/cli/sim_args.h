// sim_args.h — shared command-line plumbing for `scalebook sim <model> ...`.
//
// Every model's command takes `--set key=value` (names and validation from the
// widget's parameter schema in the catalog), optional input files (`--trace`,
// `--keys`), and `--json` for summary metrics. Errors are reported as
// `error: …` on stderr with a non-zero exit by the caller.
#pragma once
#include <cstdint>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "widgets/catalog.h"
#include "widgets/params.h"

namespace scalebook::cli {

// Thrown for any user error; main prints "error: <what>" and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SimArgs {
  std::string model;                                      // e.g. "rate-limiter"
  std::vector<std::pair<std::string, std::string>> sets;  // --set key=value, in order
  std::map<std::string, std::string> files;               // --trace FILE, --keys FILE, ...
  bool json = false;
  std::vector<std::string> flags;  // --<name> switches the model's command declares (e.g. --evictions)
  bool has_flag(const std::string& name) const {
    for (const auto& f : flags)
      if (f == name) return true;
    return false;
  }
  // Scenario commands only (sim_scenario.cpp): --action T:name:args (in order), --until T.
  std::vector<std::string> actions;
  std::string until;
};

// Parses argv after "sim <model>". Recognised: --set k=v (also --set=k=v), --json,
// --<name> FILE for each name in `file_options`, --<name> for each name in `flag_options`.
// Throws UsageError otherwise. With `run_options`, also --action A (repeatable) and --until T.
SimArgs parse_sim_args(const std::string& model, const std::vector<std::string>& args,
                       const std::vector<std::string>& file_options, bool run_options = false,
                       const std::vector<std::string>& flag_options = {});

// Resolves every parameter of widget `widget_name`: schema defaults overridden by
// --set values, each validated against the schema. `--set preset=ID` first applies
// the widget's story preset ID (catalog.h) over the defaults. Unknown keys and invalid values
// throw UsageError("parameter 'k': message").
// `model_check`, when given, replaces the widget's cross-parameter check: a command that
// draws nothing takes what the model can run, not only what the widget can show (e.g. the
// sharding widget's 200,000-key limit).
std::map<std::string, std::string> resolve_params(const std::string& widget_name, const SimArgs& args,
                                                  std::string (*model_check)(const widgets::ParamMap&) = nullptr);

// `seed` is the page toolbar's seed, not a schema field: removes every `--set seed=S`
// from args.sets and returns the last one (default 1). Throws UsageError for a value
// that is not a whole number from 0 to 2^53 - 1 (widgets::kMaxSeed, the page's limit).
std::uint64_t take_seed(SimArgs& args);

// Opens an input file named by --trace/--keys (`what`: "trace file", "keys file"). Throws
// UsageError when it is missing, unreadable or a directory: such input is an error, never
// silently empty. After reading, call check_read(in, path, what): a read error throws too.
std::ifstream open_input(const std::string& path, const char* what);
void check_read(const std::ifstream& in, const std::string& path, const char* what);

// A double as JSON: the shortest text that reads back to the same value, "null" when not finite.
std::string json_number(double v);

// Typed accessors for resolved parameter maps (values already validated).
double param_double(const std::map<std::string, std::string>& p, const std::string& key);
long long param_int(const std::map<std::string, std::string>& p, const std::string& key);
bool param_bool(const std::map<std::string, std::string>& p, const std::string& key);
const std::string& param_str(const std::map<std::string, std::string>& p, const std::string& key);

// A `scalebook sim` subcommand. Returns the process exit code; throws UsageError
// for bad input. `out` receives stdout text.
using SimCommand = int (*)(const SimArgs& args, std::string& out);

struct SimCommandEntry {
  const char* model;     // "rate-limiter"
  const char* summary;   // one line for `scalebook sim --help`
  std::vector<std::string> file_options;  // e.g. {"trace"}
  SimCommand run;
  std::vector<std::string> flag_options = {};  // e.g. {"evictions"}
};

// The table of sim subcommands (sim_commands.cpp). One line per model with a command
// of its own; every other widget with a Scenario runs through sim_scenario().
const std::vector<SimCommandEntry>& sim_commands();
int sim_scenario(const SimArgs& args, std::string& out);  // sim_scenario.cpp

// Entry used by main and tests: runs `sim <model> args...`, writes output to out,
// errors (without the "error: " prefix) to err. Returns the exit code.
int run_sim(const std::vector<std::string>& argv_after_sim, std::string& out, std::string& err);

}  // namespace scalebook::cli
