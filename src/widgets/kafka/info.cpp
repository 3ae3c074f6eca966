// The Kafka consumer-group widget's schema: one topic, producers, a consumer group and its
// rebalances, and the reader's actions on the consumers. Model: src/sim/kafka/group.h.
// Scenario: kafka/scenario.h. CLI: `scalebook sim kafka`.
#include "widgets/catalog.h"
#include "widgets/kafka/scenario.h"

namespace scalebook::widgets {

WidgetInfo kafka_info() {
  using T = ParamType;
  const std::vector<ParamSpec> which = {{.name = "consumer", .type = T::Int, .default_value = "1", .min = 1,
                                         .max = 64, .choices = {}, .help = "The consumer's number.",
                                         .label = "Consumer"}};
  return {
      .name = "kafka",
      .title = "A Kafka consumer group, rebalancing",
      .aria_label = "One row per partition of a Kafka topic, each with a bar of its consumer lag coloured by the "
                    "consumer that owns it; beside them the group's consumers with their state (consuming, idle, "
                    "revoked or rebalancing, dead but not yet detected); below, the group's total lag over time with "
                    "the rebalances shaded.",
      .description = "Producers append to a topic's partitions and a consumer group reads them, committing its "
                     "offsets every five seconds. Add, stop, crash and restart consumers mid-run and watch the group "
                     "rebalance: the eager protocol stops every consumer for the round, the cooperative one moves "
                     "only the partitions that change owner; a crash is noticed only when the session times out, "
                     "and the records processed since the last commit are delivered twice.",
      .params = {
          {.name = "partitions", .type = T::Int, .default_value = "12", .min = 1, .max = 64, .choices = {},
           .help = "The topic's partition count: the most consumers that can work at once.", .label = "Partitions"},
          {.name = "consumers", .type = T::Int, .default_value = "6", .min = 1, .max = 32, .choices = {},
           .help = "Consumers in the group at the start.", .label = "Consumers"},
          {.name = "assignor", .type = T::Choice, .default_value = "range", .min = 0, .max = 0,
           .choices = {"range", "roundrobin", "sticky", "cooperative-sticky"},
           .help = "partition.assignment.strategy: the first three rebalance eagerly, cooperative-sticky "
                   "incrementally.",
           .label = "Assignor"},
          {.name = "produce_rate", .type = T::Int, .default_value = "6000", .min = 0, .max = 200000, .choices = {},
           .help = "Records per second the producers append to the whole topic.", .label = "Produced (records/s)"},
          {.name = "hot_percent", .type = T::Int, .default_value = "0", .min = 0, .max = 100, .choices = {},
           .help = "Share of the records that go to partition 0 (a hot key); 0 spreads them evenly.",
           .label = "Hot partition (%)"},
          {.name = "consume_rate", .type = T::Int, .default_value = "2000", .min = 1, .max = 100000, .choices = {},
           .help = "Records per second one consumer can process, shared over its partitions.",
           .label = "Per consumer (records/s)"},
          {.name = "session_timeout_ms", .type = T::Int, .default_value = "45000", .min = 1000, .max = 600000,
           .choices = {},
           .help = "session.timeout.ms: a member without a heartbeat for this long is removed (45 s since "
                   "Kafka 3.0, 10 s before).",
           .label = "session.timeout.ms"},
          {.name = "heartbeat_interval_ms", .type = T::Int, .default_value = "3000", .min = 100, .max = 60000,
           .choices = {}, .help = "heartbeat.interval.ms: how often a member tells the coordinator it is alive.",
           .label = "heartbeat.interval.ms"},
          {.name = "auto_commit_ms", .type = T::Int, .default_value = "5000", .min = 100, .max = 600000,
           .choices = {},
           .help = "auto.commit.interval.ms: how often a consumer commits the offsets it has processed.",
           .label = "auto.commit.interval.ms"},
          {.name = "static_membership", .type = T::Bool, .default_value = "false", .min = 0, .max = 0, .choices = {},
           .help = "Give each consumer a group.instance.id: a restart within the session timeout keeps its "
                   "partitions without a rebalance.",
           .label = "Static membership"},
          {.name = "rebalance_ms", .type = T::Int, .default_value = "3000", .min = 0, .max = 120000, .choices = {},
           .help = "How long one JoinGroup/SyncGroup round takes (the model's assumption; in Kafka it depends on "
                   "how soon every member polls).",
           .label = "Rebalance round (ms)"},
          {.name = "duration", .type = T::Float, .default_value = "90", .min = 1, .max = 600, .choices = {},
           .help = "Seconds of simulated time the run lasts.", .label = "Duration (s)"},
      },
      .presets = {
          {.id = "cooperative", .label = "Cooperative rebalancing",
           .story = "cooperative-sticky: add a consumer and only the partitions that move stop, for the length of "
                    "one round; a second rebalance hands them to the newcomer while everyone else keeps consuming.",
           .params = {{"assignor", "cooperative-sticky"}}},
          {.id = "static-membership", .label = "Static membership",
           .story = "Every consumer has a group.instance.id. Crash one and restart it within the 45-second session "
                    "timeout: it takes its partitions back and the group never rebalances.",
           .params = {{"static_membership", "true"}}},
          {.id = "too-many-consumers", .label = "13 consumers, 12 partitions",
           .story = "A partition has one consumer in a group, so the 13th consumer gets nothing and idles: it "
                    "is a hot spare, not extra throughput.",
           .params = {{"consumers", "13"}}},
          {.id = "hot-partition", .label = "A hot partition",
           .story = "Half of the records go to partition 0, 3,000 a second, more than the 2,000 one consumer can process: its lag grows "
                    "without end, however many consumers join.",
           .params = {{"hot_percent", "50"}}},
      },
      .actions = {
          {.name = "join", .label = "Add a consumer",
           .help = "A new consumer starts and joins the group (a rebalance).", .args = {}},
          {.name = "leave", .label = "Stop a consumer",
           .help = "The consumer shuts down cleanly: it commits, and a dynamic member sends LeaveGroup.",
           .args = which},
          {.name = "crash", .label = "Crash a consumer",
           .help = "The consumer's process dies: no commit, no LeaveGroup; the coordinator notices when its "
                   "session times out.",
           .args = which},
          {.name = "restart", .label = "Restart a consumer",
           .help = "A stopped or crashed consumer starts again and rejoins.", .args = which},
      },
      .check = kafka::check_params,
      .make_scenario = make_kafka_scenario,
  };
}

}  // namespace scalebook::widgets
