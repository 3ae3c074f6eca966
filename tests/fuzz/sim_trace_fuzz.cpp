// Fuzzes `scalebook sim rate-limiter --trace FILE` (the trace reader in
// src/cli/sim_rate_limiter.cpp and every algorithm run on the parsed trace).
// First byte: the algorithm; the rest: the trace file. See sim_input.h.
#include "sim_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return scalebook::fuzz::run_sim_on_file("rate-limiter", "trace", "algorithm", data, size);
}
