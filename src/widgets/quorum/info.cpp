// The quorum widget's schema: a Dynamo-style leaderless store (N replicas per key, W acks per
// write, R replies per read) under a steady stream of reads and writes, and the faults the
// reader can inflict mid-run. Model: src/sim/quorum (Dynamo's and Cassandra's read and write
// paths, read repair, hinted handoff, sloppy quorums). CLI: `scalebook sim quorum`.
#include "widgets/catalog.h"
#include "widgets/quorum/scenario.h"

namespace scalebook::widgets {

WidgetInfo quorum_info() {
  const ParamSpec node = {.name = "node", .type = ParamType::Int, .default_value = "1", .min = 1, .max = 9,
                          .choices = {}, .help = "Which node (n1 is the first).", .label = "Node"};
  return {
      .name = "quorum",
      .title = "Quorum replication, as Dynamo and Cassandra run it",
      .aria_label = "A ring of storage nodes, each up or down, with the messages between them and, for one "
                    "watched key, which nodes are its replicas and whether each holds its newest version. Beside "
                    "it the counts of reads and writes, stale reads and failures, and below the stale reads and "
                    "failed operations per second over time.",
      .description = "A leaderless key-value store keeps every key on N of its nodes; a write waits for W "
                     "acknowledgements and a read for R replies. Choose N, R and W, then crash nodes, cut one off "
                     "or split the cluster mid-run, and count what the reader sees: stale reads when R + W is "
                     "not more than N, failed operations when too few replicas answer, and stale reads again "
                     "when a sloppy quorum lets stand-in nodes take the writes.",
      .params = {
          {.name = "nodes", .type = ParamType::Int, .default_value = "5", .min = 3, .max = 9, .choices = {},
           .help = "Nodes in the cluster (M); each key lives on N of them.", .label = "Nodes"},
          {.name = "tokens", .type = ParamType::Int, .default_value = "16", .min = 1, .max = 256, .choices = {},
           .help = "Tokens per node on the hash ring (Cassandra's num_tokens, 16 by default since 4.0); 1 is "
                   "Dynamo's first strategy and leaves some nodes with far more keys than others.",
           .label = "Tokens per node"},
          {.name = "n", .type = ParamType::Int, .default_value = "3", .min = 1, .max = 5, .choices = {},
           .help = "Replicas per key (Cassandra's replication factor).", .label = "N (replicas)"},
          {.name = "w", .type = ParamType::Int, .default_value = "2", .min = 1, .max = 5, .choices = {},
           .help = "Acknowledgements a write waits for (Cassandra: ONE = 1, QUORUM = N/2 + 1, ALL = N).",
           .label = "W (write acks)"},
          {.name = "r", .type = ParamType::Int, .default_value = "2", .min = 1, .max = 5, .choices = {},
           .help = "Replies a read waits for; the newest version among them is the answer.",
           .label = "R (read replies)"},
          {.name = "read_path", .type = ParamType::Choice, .default_value = "dynamo", .min = 0, .max = 0,
           .choices = {"dynamo", "cassandra"},
           .help = "dynamo: ask every live replica and answer from the first R replies. cassandra: ask exactly R "
                   "(one for data, the rest for digests) and redo the round with full data on a mismatch.",
           .label = "Read path"},
          {.name = "read_repair", .type = ParamType::Choice, .default_value = "none", .min = 0, .max = 0,
           .choices = {"none", "blocking", "async"},
           .help = "What a read does when its replies disagree: nothing; write the newest version back before "
                   "answering (Cassandra's BLOCKING); or answer first and repair after (Dynamo).",
           .label = "Read repair"},
          {.name = "hinted_handoff", .type = ParamType::Bool, .default_value = "false", .min = 0, .max = 0,
           .choices = {},
           .help = "A write for an unreachable replica goes to the next reachable node with a hint, which hands "
                   "it on once the replica is back.",
           .label = "Hinted handoff"},
          {.name = "sloppy_quorum", .type = ParamType::Bool, .default_value = "true", .min = 0, .max = 0,
           .choices = {},
           .help = "With hinted handoff: a stand-in's acknowledgement counts toward W, as in Dynamo. Off: only "
                   "home replicas count, as in Cassandra.",
           .label = "Sloppy quorum"},
          {.name = "failure_detector", .type = ParamType::Bool, .default_value = "true", .min = 0, .max = 0,
           .choices = {},
           .help = "The coordinator knows which replicas it can reach and fails an operation at once when fewer "
                   "than W (or R) can answer. Off: it finds out by timing out.",
           .label = "Failure detector"},
          {.name = "latency_ms", .type = ParamType::Float, .default_value = "1", .min = 0.1, .max = 200,
           .choices = {}, .help = "The fixed part of a message's one-way latency.", .label = "Latency floor (ms)"},
          {.name = "tail_ms", .type = ParamType::Float, .default_value = "4", .min = 0, .max = 500, .choices = {},
           .help = "Mean of an exponential extra on each message (0: every message takes exactly the floor).",
           .label = "Latency tail (ms)"},
          {.name = "writes", .type = ParamType::Float, .default_value = "50", .min = 0, .max = 1000, .choices = {},
           .help = "Writes per second, a Poisson stream, each to a uniformly chosen key through a random live "
                   "coordinator.",
           .label = "Writes/s"},
          {.name = "reads", .type = ParamType::Float, .default_value = "50", .min = 0, .max = 1000, .choices = {},
           .help = "Reads per second, a Poisson stream like the writes.", .label = "Reads/s"},
          {.name = "keys", .type = ParamType::Int, .default_value = "10", .min = 1, .max = 1000, .choices = {},
           .help = "Distinct keys; fewer keys means each is read soon after it was written.", .label = "Keys"},
          {.name = "duration", .type = ParamType::Float, .default_value = "60", .min = 1, .max = 600, .choices = {},
           .help = "Seconds of simulated time the run lasts.", .label = "Duration (s)"},
      },
      .presets = {
          {.id = "one-one", .label = "R = W = 1",
           .story = "One acknowledgement per write and one reply per read: the fastest setting, and R + W = 2 is "
                    "not more than N = 3, so a read can land on a replica the write has not reached yet.",
           .params = {{"r", "1"}, {"w", "1"}}},
          {.id = "sloppy", .label = "Sloppy quorum",
           .story = "Hinted handoff with Dynamo's sloppy quorum: split the cluster and both sides keep writing, "
                    "the minority through stand-in nodes, and reads on the other side miss those writes although "
                    "R + W > N.",
           .params = {{"hinted_handoff", "true"}}},
          {.id = "cassandra", .label = "Cassandra's read path",
           .story = "Each read contacts exactly R replicas, one for data and one for a digest, and repairs a "
                    "stale replica before it answers: a crashed contact now costs a timeout, not a slower reply.",
           .params = {{"read_path", "cassandra"}, {"read_repair", "blocking"}}},
          {.id = "write-all", .label = "W = N",
           .story = "Writes wait for every replica and reads take one reply: reads are fast and never stale, "
                    "but one crashed node fails every write to the keys it holds.",
           .params = {{"w", "3"}, {"r", "1"}}},
      },
      .actions = {
          {.name = "isolate", .label = "Cut off", .help = "Cut every link between one node and the others.",
           .args = {node}},
          {.name = "crash", .label = "Crash", .help = "Stop one node (its data survives on disk).", .args = {node}},
          {.name = "restart", .label = "Restart", .help = "Start a crashed node again with the data it had.",
           .args = {node}},
          {.name = "split", .label = "Split",
           .help = "Partition the cluster: n1 to nK on one side, the rest on the other.",
           .args = {{.name = "side", .type = ParamType::Int, .default_value = "2", .min = 1, .max = 8, .choices = {},
                     .help = "How many nodes, from n1 on, are on the first side.", .label = "First side"}}},
          {.name = "heal", .label = "Heal the network", .help = "Restore every cut link.", .args = {}},
      },
      .check = quorum::check_params,
      .make_scenario = make_quorum_scenario,
  };
}

}  // namespace scalebook::widgets
