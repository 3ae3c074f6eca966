// The stampede widget's parameter schema: a hot key expiring under many readers, with no
// protection, memcached's leases, request coalescing, stale-while-revalidate or XFetch.
// Model: src/sim/cache/stampede.h (leases exactly as memcached's meta protocol gives them,
// meta_lease.h). CLI: `scalebook sim stampede` (the generic Scenario command).
#include "widgets/catalog.h"
#include "widgets/stampede/scenario.h"

namespace scalebook::widgets {

WidgetInfo stampede_info() {
  return {
      .name = "stampede",
      .title = "Cache stampede",
      .aria_label = "Database queries over time for a hot cached key that expires every few seconds under a steady "
                    "stream of readers, for one or two protection strategies side by side.",
      .description = "A key read a thousand times a second expires: without protection every reader that misses "
                     "queries the database at once. Compare memcached's leases (mg with N: one reader wins the right "
                     "to recompute, the rest wait or take the stale value), per-server request coalescing, "
                     "stale-while-revalidate and probabilistic early recomputation (XFetch), and count the database "
                     "queries, the stale reads and the read latency.",
      .params = {
          {.name = "strategy", .type = ParamType::Choice, .default_value = "none", .min = 0, .max = 0,
           .choices = {"none", "lease", "coalesce", "swr", "xfetch"},
           .help = "How readers that find the key expired get a value.", .label = "Strategy"},
          {.name = "compare", .type = ParamType::Choice, .default_value = "none", .min = 0, .max = 0,
           .choices = {"none", "lease", "coalesce", "swr", "xfetch"},
           .help = "A second strategy on the same readers (none: one lane).", .label = "Compare with"},
          {.name = "rate", .type = ParamType::Float, .default_value = "1000", .min = 1, .max = 100000, .choices = {},
           .help = "Readers per second of the hot key (a Poisson stream).", .label = "Readers/s"},
          {.name = "duration", .type = ParamType::Float, .default_value = "10", .min = 1, .max = 60, .choices = {},
           .help = "Seconds of arrivals.", .label = "Duration (s)"},
          {.name = "ttl", .type = ParamType::Float, .default_value = "2", .min = 0.1, .max = 60, .choices = {},
           .help = "Seconds a cached value lives (leases round it up to whole seconds, as memcached does).",
           .label = "TTL (s)"},
          {.name = "db_ms", .type = ParamType::Float, .default_value = "50", .min = 0.1, .max = 5000, .choices = {},
           .help = "Milliseconds a database query takes to recompute the value.", .label = "Query (ms)"},
          {.name = "db_jitter_ms", .type = ParamType::Float, .default_value = "0", .min = 0, .max = 5000, .choices = {},
           .help = "Mean of an exponential extra on each query, in milliseconds.", .label = "Query jitter (ms)"},
          {.name = "db_load", .type = ParamType::Float, .default_value = "0", .min = 0, .max = 10, .choices = {},
           .help = "Each query already in flight slows a new one by this fraction (a database that degrades under load).",
           .label = "Load slowdown"},
          {.name = "servers", .type = ParamType::Int, .default_value = "1", .min = 1, .max = 1000, .choices = {},
           .help = "Application servers the readers are spread over (coalescing and background refreshes are per server).",
           .label = "App servers"},
          {.name = "lease_retry_ms", .type = ParamType::Float, .default_value = "10", .min = 0.1, .max = 1000,
           .choices = {}, .help = "Leases: how long a reader told to wait (Z) sleeps before asking again.",
           .label = "Lease retry (ms)"},
          {.name = "stale_window", .type = ParamType::Float, .default_value = "10", .min = 0, .max = 60, .choices = {},
           .help = "Stale-while-revalidate: seconds after expiry during which the old value is still served.",
           .label = "Stale window (s)"},
          {.name = "beta", .type = ParamType::Float, .default_value = "1", .min = 0, .max = 10, .choices = {},
           .help = "XFetch: how eagerly reads recompute before expiry (0: never early).", .label = "XFetch beta"},
          {.name = "write_every", .type = ParamType::Float, .default_value = "0", .min = 0, .max = 60, .choices = {},
           .help = "Seconds between writes to the row (each invalidates the key); 0 = the row never changes.",
           .label = "Write every (s)"},
      },
      .presets = {
          {.id = "herd", .label = "The thundering herd",
           .story = "Every 2 s the key expires under 1,000 readers a second and a query takes 50 ms: without "
                    "protection about fifty readers query the database at once; with leases exactly one does.",
           .params = {{"compare", "lease"}}},
          {.id = "coalesce", .label = "Coalescing per server",
           .story = "Eight application servers each let only one of their own readers recompute: eight queries "
                    "per expiry at most, without any help from the cache.",
           .params = {{"compare", "coalesce"}, {"servers", "8"}}},
          {.id = "stale", .label = "Serve stale, refresh once",
           .story = "Stale-while-revalidate answers every reader at cache speed and refreshes in the background; "
                    "the price is readers served an expired value while the refresh runs.",
           .params = {{"compare", "swr"}}},
          {.id = "xfetch", .label = "Recompute early (XFetch)",
           .story = "Each read near expiry recomputes with a probability that rises as the deadline nears, so the "
                    "value is usually refreshed before anyone misses.",
           .params = {{"compare", "xfetch"}}},
          {.id = "writes", .label = "Writes and stale sets",
           .story = "The row changes every 100 ms and queries take 50 ms plus a random extra. Without leases a "
                    "reader that queried before a write puts the old value back after the delete; a lease token "
                    "invalidated by the delete refuses that set, and readers are served the stale value instead.",
           .params = {{"compare", "lease"}, {"write_every", "0.1"}, {"db_jitter_ms", "25"}}},
      },
      .check = stampede::check_params,
      .make_scenario = make_stampede_scenario,
  };
}

}  // namespace scalebook::widgets
