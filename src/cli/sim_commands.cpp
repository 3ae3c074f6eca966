// The table of `scalebook sim` models. One line per model; each model's command
// lives in its own sim_<model>.cpp next to this file.
#include "cli/sim_args.h"

namespace scalebook::cli {

const std::vector<SimCommandEntry>& sim_commands() {
  static const std::vector<SimCommandEntry> table = {
  };
  return table;
}

}  // namespace scalebook::cli
