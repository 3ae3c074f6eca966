// Scalebook — synthetic LLM serving workload: Poisson arrivals, prompt/output lengths from simple
// distributions, optional shared system prompts (so prefix caching can hit).
//
// WHAT IS MODELLED
//  * Arrivals: a Poisson process at rate_per_s (exponential gaps summed in double, each arrival
//    time then rounded to whole microseconds — ordering uses only those integers);
//    rate_per_s <= 0 means every request arrives at t = 0 (offline batch).
//  * Lengths: fixed, uniform [min, max], or exponential(mean) rounded and clamped to [min, max].
//    `prompt` is the request's OWN part; a shared prefix, if any, is prepended to it.
//  * Shared prefixes: with probability shared_prefix_fraction a request starts with one of
//    num_shared_prefixes system prompts (chosen uniformly) of shared_prefix_tokens tokens. The
//    prefix tokens depend only on (seed, prefix id), so identical prefixes hash identically.
//  * Only sim::Rng (xoshiro256**) is used, through independent split streams, so the same desc
//    gives the same requests natively and in Wasm.
// WHAT IS NOT MODELLED
//  * Real tokenisation or text, bursty/diurnal arrivals, multi-turn conversations (a later turn
//    re-sending the earlier turns), heavy-tailed lengths beyond the exponential clamp.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/llm/kv_cache.h"

namespace scalebook::sim::llm {

enum class LengthDist { kFixed, kUniform, kExponential };

struct LengthSpec {
  LengthDist dist = LengthDist::kUniform;
  int min = 1;
  int max = 1;
  double mean = 0.0;  // kExponential only (kFixed uses min)
};

struct WorkloadDesc {
  std::uint64_t seed = 1;
  int num_requests = 200;
  double rate_per_s = 4.0;
  LengthSpec prompt{LengthDist::kUniform, 128, 1024, 0.0};
  LengthSpec output{LengthDist::kUniform, 32, 512, 0.0};
  int shared_prefix_tokens = 0;
  double shared_prefix_fraction = 1.0;
  int num_shared_prefixes = 1;
  int vocab_size = 32000;
};

struct RequestSpec {
  RequestId id = 0;
  std::int64_t arrival_us = 0;
  std::vector<TokenId> prompt;
  int max_tokens = 1;
  int priority = 0;
  int shared_prefix_id = -1;  // -1 = none
};

// Requests sorted by (arrival_us, id); ids are 0..n-1 in arrival order.
std::vector<RequestSpec> generate_workload(const WorkloadDesc& desc);

// A prompt of `len` tokens that is the same for every (seed, key) pair.
std::vector<TokenId> deterministic_tokens(std::uint64_t seed, std::uint64_t key, int len, int vocab_size);

}  // namespace scalebook::sim::llm
