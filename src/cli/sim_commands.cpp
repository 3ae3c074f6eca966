// The table of `scalebook sim` models. One line per model; each model's command
// lives in its own sim_<model>.cpp next to this file.
#include "cli/sim_args.h"

namespace scalebook::cli {

int sim_fanout(const SimArgs& args, std::string& out);  // sim_fanout.cpp
int run_sim_rate_limiter(const SimArgs& args, std::string& out);  // sim_rate_limiter.cpp

int sim_sharding(const SimArgs& args, std::string& out);  // sim_sharding.cpp
int sim_cache(const SimArgs& args, std::string& out);     // sim_cache.cpp
int sim_lb(const SimArgs& args, std::string& out);        // sim_lb.cpp
int sim_queue(const SimArgs& args, std::string& out);     // sim_queue.cpp

const std::vector<SimCommandEntry>& sim_commands() {
  static const std::vector<SimCommandEntry> table = {
      {"fanout", "timeline fan-out: push, pull, hybrid; or mode=estimate", {}, sim_fanout},
      {"rate-limiter", "token/leaky buckets, nginx limit_req, windows, GCRA on a trace (--trace FILE) or generated traffic", {"trace"}, run_sim_rate_limiter},
      {"sharding", "mod-N, consistent ring, ketama (libmemcached-exact), rendezvous, jump, Maglev, range, directory, bounded loads (--keys FILE)", {"keys"}, sim_sharding},
      {"cache", "eviction: FIFO, LRU, LFU, OPT, Redis sampled LRU/LFU, memcached segmented LRU, W-TinyLFU (--trace FILE, --evictions)", {"trace"}, sim_cache, {"evictions"}},
      {"lb", "load balancing: nginx SWRR/least_conn/ip_hash, Envoy RR/two choices/random over queued backends (picks per request, --json)", {}, sim_lb},
      {"queue", "queueing only: one M/M/c queue from lambda, mu, servers; Erlang C mean and percentiles beside a simulated run (--json)", {}, sim_queue},
  };
  return table;
}

}  // namespace scalebook::cli
