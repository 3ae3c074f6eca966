// The cache widget's parameter schema: eviction policies as Redis, memcached and Caffeine
// run them, against exact LRU/LFU/FIFO and Belady's OPT, on one generated request stream.
// Model: src/sim/cache. CLI: `scalebook sim cache`.
#include <set>
#include <string>

#include "sim/cache/workload.h"
#include "widgets/cache/scenario.h"
#include "widgets/catalog.h"

namespace scalebook::widgets {

namespace {

std::string check_compare(std::string_view value) {
  if (value.empty()) return {};
  std::set<std::string> seen;
  std::size_t pos = 0, count = 0;
  while (pos <= value.size()) {
    const std::size_t comma = std::min(value.find(',', pos), value.size());
    std::string name(value.substr(pos, comma - pos));
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!sim::cache::parse_policy(name))
      return "unknown policy '" + name + "' (expected fifo, lru, lfu, opt, redis-lru, redis-lfu, memcached or w-tinylfu)";
    if (!seen.insert(name).second) return "'" + name + "' is listed twice";
    if (++count > 2) return "compare at most 2 policies besides the main one";
    pos = comma + 1;
  }
  return {};
}

}  // namespace

WidgetInfo cache_info() {
  return {
      .name = "cache",
      .title = "Cache eviction",
      .aria_label = "One request stream fed to up to three caches side by side: each cache's slots light up on a hit and "
                    "are replaced on an eviction; a chart of hit ratio over time with Belady's OPT as a dashed ceiling, "
                    "and a curve of hit ratio against cache size.",
      .description = "Feed one stream of requests — Zipf popularity, a periodic scan, a loop one larger than the cache, "
                     "or a working set that shifts — to FIFO, exact LRU and LFU, Redis's sampled LRU and LFU (as "
                     "evict.c runs them), memcached's segmented LRU or Caffeine's W-TinyLFU, and compare their hit "
                     "ratios with Belady's OPT, the best any cache could do, at this size and at eight times smaller "
                     "or larger.",
      .params = {
          {.name = "policy", .type = ParamType::Choice, .default_value = "lru", .min = 0, .max = 0,
           .choices = {"lru", "fifo", "lfu", "redis-lru", "redis-lfu", "memcached", "w-tinylfu", "opt"},
           .help = "The eviction policy of the first cache.", .label = "Policy"},
          {.name = "compare", .type = ParamType::Text, .default_value = "", .min = 0, .max = 0, .choices = {},
           .help = "Up to two more policies, comma-separated (e.g. w-tinylfu,redis-lru), run on the same requests.",
           .check = check_compare, .label = "Compare with"},
          {.name = "ceiling", .type = ParamType::Bool, .default_value = "true", .min = 0, .max = 0, .choices = {},
           .help = "Also run Belady's OPT (evict the key needed farthest in the future): the ceiling of any policy.",
           .label = "OPT ceiling"},
          {.name = "capacity", .type = ParamType::Int, .default_value = "100", .min = 1, .max = 10000000, .choices = {},
           .help = "How many items each cache holds (the widget draws at most 10,000).", .label = "Capacity (items)"},
          {.name = "workload", .type = ParamType::Choice, .default_value = "zipf", .min = 0, .max = 0,
           .choices = {"zipf", "scan", "loop", "shifting"},
           .help = "The request stream: Zipf popularity; Zipf plus a periodic scan of new keys; keys 0..L-1 in a "
                   "loop; or a Zipf working set replaced by a new one every shift_every requests.",
           .label = "Workload"},
          {.name = "keys", .type = ParamType::Int, .default_value = "1000", .min = 1, .max = 100000000, .choices = {},
           .help = "Distinct keys in the Zipf working set.", .label = "Keys"},
          {.name = "alpha", .type = ParamType::Float, .default_value = "0.9", .min = 0.01, .max = 3, .choices = {},
           .help = "Zipf exponent: the larger, the more the hottest keys dominate.", .label = "Zipf alpha"},
          {.name = "requests", .type = ParamType::Int, .default_value = "20000", .min = 1, .max = 100000000, .choices = {},
           .help = "Requests in the run (the widget runs at most 200,000).", .label = "Requests"},
          {.name = "rate", .type = ParamType::Int, .default_value = "2000", .min = 1, .max = 1000000, .choices = {},
           .help = "Requests per simulated second (the Redis policies' clocks read it).", .label = "Requests/s"},
          {.name = "scan_every", .type = ParamType::Int, .default_value = "5000", .min = 1, .max = 100000000,
           .choices = {}, .help = "Scan workload: a scan after every this many ordinary requests.", .label = "Scan every"},
          {.name = "scan_length", .type = ParamType::Int, .default_value = "500", .min = 1, .max = 100000000,
           .choices = {}, .help = "Scan workload: keys read once by each scan.", .label = "Scan length"},
          {.name = "loop_length", .type = ParamType::Int, .default_value = "101", .min = 1, .max = 100000000,
           .choices = {}, .help = "Loop workload: how many keys the loop cycles through.", .label = "Loop length"},
          {.name = "shift_every", .type = ParamType::Int, .default_value = "10000", .min = 1, .max = 100000000,
           .choices = {}, .help = "Shifting workload: requests before the working set is replaced.", .label = "Shift every"},
          {.name = "samples", .type = ParamType::Int, .default_value = "5", .min = 1, .max = 64, .choices = {},
           .help = "Redis maxmemory-samples: keys sampled per eviction.", .label = "Redis samples"},
          {.name = "lfu_log_factor", .type = ParamType::Int, .default_value = "10", .min = 0, .max = 1000000,
           .choices = {}, .help = "Redis lfu-log-factor: how slowly the 8-bit frequency counter climbs.",
           .label = "LFU log factor"},
          {.name = "lfu_decay_time", .type = ParamType::Int, .default_value = "1", .min = 0, .max = 1000000,
           .choices = {}, .help = "Redis lfu-decay-time in minutes: the counter drops by one per elapsed period (0: never).",
           .label = "LFU decay (min)"},
          {.name = "tinylfu_window", .type = ParamType::Choice, .default_value = "adaptive", .min = 0, .max = 0,
           .choices = {"adaptive", "fixed"},
           .help = "W-TinyLFU's admission window: adaptive, resized by the hill climber of Caffeine 3.2.4 as every "
                   "Caffeine cache is; or fixed at its initial 1 % of the capacity.",
           .label = "W-TinyLFU window"},
          {.name = "sizes", .type = ParamType::Text, .default_value = "", .min = 0, .max = 0, .choices = {},
           .help = "Cache sizes (items, increasing, comma-separated) for the hit-ratio curve; empty = capacity x 1/8 to 8.",
           .label = "Curve sizes"},
      },
      .presets = {
          {.id = "scan", .label = "A scan wipes out LRU",
           .story = "Every 4,000 requests a backup job reads 300 keys once. LRU lets each scan push its hot keys "
                    "out and refills slowly; W-TinyLFU refuses to admit keys seen only once.",
           .params = {{"compare", "w-tinylfu"}, {"workload", "scan"}, {"scan_every", "4000"}, {"scan_length", "300"}}},
          {.id = "shift", .label = "LFU clings to yesterday",
           .story = "Halfway through, the popular keys change. Exact LFU keeps the old favourites for good; LRU "
                    "forgets them at once; W-TinyLFU's sketch halves its counts and follows.",
           .params = {{"compare", "lfu,w-tinylfu"}, {"workload", "shifting"}, {"shift_every", "10000"}}},
          {.id = "tinylfu", .label = "TinyLFU keeps the head",
           .story = "Skewed popularity over many keys: W-TinyLFU keeps the hot head and admits a newcomer only "
                    "when it has been asked for more often than the key it would replace.",
           .params = {{"compare", "w-tinylfu,redis-lru"}, {"keys", "10000"}, {"alpha", "0.8"}}},
          {.id = "loop", .label = "LRU's worst case",
           .story = "A loop over 101 keys through a cache of 100: LRU and FIFO always evict the key needed next "
                    "and never hit; OPT hits almost every time.",
           .params = {{"compare", "fifo,lfu"}, {"workload", "loop"}, {"loop_length", "101"}}},
      },
      .check = cache::check_params,
      .make_scenario = make_cache_scenario,
  };
}

}  // namespace scalebook::widgets
