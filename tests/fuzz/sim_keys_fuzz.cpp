// Fuzzes `scalebook sim sharding --keys FILE` (the keys reader in
// src/cli/sim_sharding.cpp and every placement strategy on the parsed keys).
// First byte: the strategy; the rest: the keys file. See sim_input.h.
#include "sim_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return scalebook::fuzz::run_sim_on_file("sharding", "keys", "strategy", data, size);
}
