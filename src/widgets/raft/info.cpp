// The Raft widget's schema: a cluster of etcd-style Raft nodes under a steady client, and
// the faults the reader can inflict mid-run. Model: src/sim/raft (etcd's raft library:
// PreVote, CheckQuorum, the vote lease, probe/replicate progress). CLI: `scalebook sim raft`.
#include "widgets/catalog.h"
#include "widgets/raft/scenario.h"

namespace scalebook::widgets {

WidgetInfo raft_info() {
  const ParamSpec node = {.name = "node", .type = ParamType::Int, .default_value = "1", .min = 1, .max = 7,
                          .choices = {}, .help = "Which node (n1 is the first).", .label = "Node"};
  return {
      .name = "raft",
      .title = "Raft, as etcd runs it",
      .aria_label = "A ring of Raft nodes, each coloured by its role (follower, pre-candidate, candidate, leader or "
                    "down) with its term, election timer and log; messages travel between them. Below, each "
                    "node's role over time and the client's proposals made and committed.",
      .description = "Five etcd-style Raft nodes elect a leader and replicate a client's proposals. Crash the "
                     "leader, cut a node off or split the cluster mid-run and watch the election that follows: "
                     "who campaigns, which terms rise, which proposals commit and which are lost. PreVote and "
                     "CheckQuorum are etcd's defaults and can be switched off to see what they prevent.",
      .params = {
          {.name = "nodes", .type = ParamType::Int, .default_value = "5", .min = 1, .max = 7, .choices = {},
           .help = "Voting members of the cluster.", .label = "Nodes"},
          {.name = "pre_vote", .type = ParamType::Bool, .default_value = "true", .min = 0, .max = 0, .choices = {},
           .help = "PreVote: a node asks whether it could win before it raises its term (etcd --pre-vote, on by "
                   "default).",
           .label = "PreVote"},
          {.name = "check_quorum", .type = ParamType::Bool, .default_value = "true", .min = 0, .max = 0,
           .choices = {},
           .help = "CheckQuorum: a leader that has not heard from a majority for an election timeout steps down, "
                   "and followers ignore vote requests while their leader is recent (etcd always sets it).",
           .label = "CheckQuorum"},
          {.name = "heartbeat_ms", .type = ParamType::Float, .default_value = "100", .min = 10, .max = 1000,
           .choices = {}, .help = "etcd --heartbeat-interval: one tick; the leader sends heartbeats every tick.",
           .label = "Heartbeat (ms)"},
          {.name = "election_ms", .type = ParamType::Float, .default_value = "1000", .min = 50, .max = 10000,
           .choices = {},
           .help = "etcd --election-timeout: a follower that hears nothing for a random time between this and "
                   "twice this campaigns (in whole ticks).",
           .label = "Election timeout (ms)"},
          {.name = "latency_ms", .type = ParamType::Float, .default_value = "10", .min = 0.1, .max = 500,
           .choices = {}, .help = "One-way network latency between any two nodes.", .label = "Latency (ms)"},
          {.name = "jitter_ms", .type = ParamType::Float, .default_value = "5", .min = 0, .max = 500, .choices = {},
           .help = "A uniform extra of up to this much on each message (links stay first in, first out).",
           .label = "Jitter (ms)"},
          {.name = "loss", .type = ParamType::Float, .default_value = "0", .min = 0, .max = 0.5, .choices = {},
           .help = "Probability that a message is lost.", .label = "Message loss"},
          {.name = "proposals", .type = ParamType::Float, .default_value = "5", .min = 0, .max = 200, .choices = {},
           .help = "Client proposals per second (a Poisson stream) sent to the current leader.",
           .label = "Proposals/s"},
          {.name = "duration", .type = ParamType::Float, .default_value = "60", .min = 1, .max = 600, .choices = {},
           .help = "Seconds of simulated time the run lasts.", .label = "Duration (s)"},
      },
      .presets = {
          {.id = "three", .label = "Three nodes",
           .story = "A three-node cluster survives one failure: crash the leader and the two left elect a new "
                    "one; crash a second node and nothing commits until one comes back.",
           .params = {{"nodes", "3"}}},
          {.id = "no-prevote", .label = "Without PreVote",
           .story = "Cut a follower off: without PreVote it campaigns again and again, raising its term each "
                    "time; heal the link and its higher term forces the healthy leader to step down.",
           .params = {{"pre_vote", "false"}, {"check_quorum", "false"}}},
          {.id = "lossy", .label = "A lossy network",
           .story = "One message in five is lost: heartbeats go missing, followers time out and campaign, and "
                    "the cluster still never commits two different values at one index.",
           .params = {{"loss", "0.2"}}},
          {.id = "wan", .label = "Across regions",
           .story = "80 ms between nodes, tuned the way etcd's tuning guide suggests: a heartbeat of about one "
                    "round trip (200 ms) and an election timeout ten times that (2 s). Elections take seconds, "
                    "and every commit waits for a round trip to a majority.",
           .params = {{"latency_ms", "80"}, {"jitter_ms", "20"}, {"heartbeat_ms", "200"}, {"election_ms", "2000"}}},
      },
      .actions = {
          {.name = "isolate", .label = "Cut off", .help = "Cut every link between one node and the others.",
           .args = {node}},
          {.name = "isolate-leader", .label = "Cut off the leader",
           .help = "Cut every link between the current leader and the others (messages in flight are lost).",
           .args = {}},
          {.name = "split", .label = "Split",
           .help = "Partition the cluster: n1 to nK on one side, the rest on the other.",
           .args = {{.name = "side", .type = ParamType::Int, .default_value = "2", .min = 1, .max = 6, .choices = {},
                     .help = "How many nodes, from n1 on, are on the first side.", .label = "First side"}}},
          {.name = "heal", .label = "Heal the network", .help = "Restore every cut link.", .args = {}},
          {.name = "crash", .label = "Crash", .help = "Stop one node's process.", .args = {node}},
          {.name = "crash-leader", .label = "Crash the leader",
           .help = "Stop the current leader's process: its messages stop, its log and term survive on disk.",
           .args = {}},
          {.name = "restart", .label = "Restart",
           .help = "Start a crashed node again from its write-ahead log (term, vote, log and commit survive).",
           .args = {node}},
      },
      .check = raft::check_params,
      .make_scenario = make_raft_scenario,
  };
}

}  // namespace scalebook::widgets
