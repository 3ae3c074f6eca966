// fanout — timeline fan-out on write (push), on read (pull) and hybrid; model in src/sim/fanout.
// The seed is not a schema parameter: the page toolbar and `scalebook sim fanout
// --set seed=S` supply it (the loader reserves the `seed` attribute).
#include "widgets/catalog.h"
#include "widgets/fanout/config.h"
#include "widgets/fanout/scenario.h"

namespace scalebook::widgets {

namespace {
// The cross-parameter check (WidgetInfo::check): fanout_config::cross_check.
std::string check_combination(const std::map<std::string, std::string>& p) { return fanout_config::cross_check(p); }
}  // namespace

WidgetInfo fanout_info() {
  return {
      .name = "fanout",
      .title = "Timeline fan-out: push, pull and hybrid",
      .aria_label = "A follower graph drawn as dots; when someone posts, deliveries spread from the author to "
                    "each follower's timeline, with charts of delivery latency, backlog, read cost and cache memory.",
      .description = "Watch a celebrity's post fan out to thousands of timelines. Switch between fan-out on write, "
                     "fan-out on read and the hybrid, move the celebrity threshold, and compare write amplification, "
                     "delivery latency, backlog, fetches per read and cache memory side by side.",
      .params = {
          {.name = "mode", .type = ParamType::Choice, .default_value = "simulate", .choices = {"simulate", "estimate"},
           .help = "simulate runs the scenario; estimate does the back-of-envelope arithmetic at Twitter scale.",
           .label = "Mode"},
          {.name = "strategy", .type = ParamType::Choice, .default_value = "push", .choices = {"push", "pull", "hybrid"},
           .help = "push writes each post into every follower's timeline; pull merges followees' posts at read "
                   "time; hybrid pushes except for authors at or above the threshold.",
           .label = "Strategy"},
          {.name = "compare", .type = ParamType::Choice, .default_value = "none",
           .choices = {"none", "push", "pull", "hybrid"},
           .help = "A second strategy run on the same graph, posts and reads, shown side by side (widget only).",
           .label = "Compare with"},
          {.name = "users", .type = ParamType::Int, .default_value = "3000", .min = 10, .max = 100000,
           .choices = {}, .help = "Number of accounts in the follower graph.", .label = "Users"},
          {.name = "mean_followers", .type = ParamType::Float, .default_value = "40", .min = 0, .max = 1000,
           .choices = {}, .help = "Mean follower count of ordinary (non-celebrity) accounts.", .label = "Mean followers"},
          {.name = "exponent", .type = ParamType::Float, .default_value = "2.25", .min = 1.5, .max = 4,
           .choices = {}, .help = "Power-law exponent of the follower-count distribution (real graphs: about 2.2 to 2.3).",
           .label = "Power-law exponent"},
          {.name = "celebrities", .type = ParamType::Int, .default_value = "3", .min = 0, .max = 100,
           .choices = {}, .help = "Number of celebrity accounts; each posts once during the burst.", .label = "Celebrities"},
          {.name = "celebrity_followers", .type = ParamType::Int, .default_value = "2500", .min = 1, .max = 99999,
           .choices = {}, .help = "Followers of each celebrity (must be fewer than users).", .label = "Celebrity followers"},
          {.name = "threshold", .type = ParamType::Int, .default_value = "1000", .min = 1, .max = 100000,
           .choices = {}, .help = "Hybrid: authors with at least this many followers are merged at read time instead of pushed.",
           .label = "Hybrid threshold"},
          {.name = "cap", .type = ParamType::Int, .default_value = "800", .min = 1, .max = 10000,
           .choices = {}, .help = "Entries kept per home timeline (Twitter kept 800).", .label = "Timeline cap"},
          {.name = "workers", .type = ParamType::Int, .default_value = "4", .min = 1, .max = 1024,
           .choices = {}, .help = "Fan-out workers draining the delivery queue.", .label = "Fan-out workers"},
          {.name = "worker_inserts_per_s", .type = ParamType::Int, .default_value = "250", .min = 1, .max = 100000000,
           .choices = {}, .help = "Timeline inserts per second each fan-out worker can do.", .label = "Inserts/s per worker"},
          {.name = "inactive_days", .type = ParamType::Float, .default_value = "30", .min = 0, .max = 3650,
           .choices = {}, .help = "Skip pushing to users who have not read for this many days; their timeline is rebuilt at "
                   "their next read (0 = never skip).",
           .label = "Inactive after (days)"},
          {.name = "mean_days_since_visit", .type = ParamType::Float, .default_value = "10", .min = 0.01, .max = 3650,
           .choices = {}, .help = "Mean days since each user's last visit when the run starts (exponential).",
           .label = "Mean days since visit"},
          {.name = "replication", .type = ParamType::Int, .default_value = "3", .min = 1, .max = 10,
           .choices = {}, .help = "Copies of every timeline cache (Twitter kept 3).", .label = "Replicas"},
          {.name = "entry_bytes", .type = ParamType::Int, .default_value = "20", .min = 1, .max = 4096,
           .choices = {}, .help = "Bytes per timeline entry (post id 8 + author id 8 + 4 bytes of flags).", .label = "Entry bytes"},
          {.name = "duration_s", .type = ParamType::Float, .default_value = "20", .min = 0.1, .max = 600,
           .choices = {}, .help = "Length of the simulated run in seconds.", .label = "Duration (s)"},
          {.name = "posts_per_s", .type = ParamType::Float, .default_value = "20", .min = 0, .max = 100000,
           .choices = {}, .help = "Posts per second by ordinary users (Poisson).", .label = "Posts/s"},
          {.name = "reads_per_s", .type = ParamType::Float, .default_value = "300", .min = 0, .max = 1000000,
           .choices = {}, .help = "Timeline reads per second (Poisson, readers uniform).", .label = "Reads/s"},
          {.name = "celebrity_post_at_s", .type = ParamType::Float, .default_value = "3", .min = 0, .max = 600,
           .choices = {}, .help = "When the celebrities post (celebrity i at +i ms).", .label = "Celebrity posts at (s)"},
          {.name = "fetch_rtt_us", .type = ParamType::Int, .default_value = "500", .min = 1, .max = 1000000,
           .choices = {}, .help = "Round trip of one cache fetch, in microseconds.", .label = "Fetch RTT (µs)"},
          {.name = "parallel_fetches", .type = ParamType::Int, .default_value = "16", .min = 1, .max = 10000,
           .choices = {}, .help = "Fetches a read issues in parallel; latency = RTT × ceil(fetches / this).",
           .label = "Parallel fetches"},
          {.name = "est_posts_per_s", .type = ParamType::Float, .default_value = "4630", .min = 0, .max = 1e9,
           .choices = {}, .help = "Estimate: posts per second (Twitter 2013: 400 M/day = 4.6 k/s).", .label = "Est. posts/s"},
          {.name = "est_reads_per_s", .type = ParamType::Float, .default_value = "300000", .min = 0, .max = 1e10,
           .choices = {}, .help = "Estimate: timeline reads per second (Twitter 2013: 300 k).", .label = "Est. reads/s"},
          {.name = "est_mean_followers", .type = ParamType::Float, .default_value = "75", .min = 0, .max = 1e8,
           .choices = {}, .help = "Estimate: timelines each post reaches (Twitter 2013: 30 G deliveries/day ÷ 400 M tweets = 75).",
           .label = "Est. fan-out per post"},
          {.name = "est_active_users", .type = ParamType::Float, .default_value = "150000000", .min = 0, .max = 1e11,
           .choices = {}, .help = "Estimate: users with a cached timeline (Twitter 2013: 150 M active).", .label = "Est. active users"},
          {.name = "est_celebrity_followers", .type = ParamType::Float, .default_value = "30000000", .min = 0,
           .max = 1e10, .choices = {}, .help = "Estimate: followers of one celebrity post (Lady Gaga 2013: 31 M).",
           .label = "Est. celebrity followers"},
          {.name = "est_fanout_inserts_per_s", .type = ParamType::Float, .default_value = "450000", .min = 1,
           .max = 1e12, .choices = {}, .help = "Estimate: fan-out fleet capacity in inserts/s (an assumption; not published).",
           .label = "Est. fan-out capacity"},
          {.name = "est_target_s", .type = ParamType::Float, .default_value = "5", .min = 0.001, .max = 86400,
           .choices = {}, .help = "Delivery target in seconds (Twitter: 5 s): the dashed line on the latency chart, and the estimate's target.",
           .label = "Delivery target (s)"},
      },
      .check = check_combination,
      .make_scenario = make_fanout_scenario,
  };
}

}  // namespace scalebook::widgets
