// haproxy.h — HAProxy's `balance roundrobin`, `leastconn` and `random(<draws>)`.
//
// roundrobin and leastconn are ported from HAProxy 2.6 (lb_fwrr.c, lb_fwlc.c,
// the eb32 trees they sort servers in, and the calls backend.c and stream.c make
// into them) and pick exactly as HAProxy does, pick for pick, for static weights
// and all servers up. A live oracle (tests/unit/lb_haproxy_oracle_test.cpp) runs
// Debian's haproxy 2.6.12 and compares every pick.
//
// Exact now:
//  - Weights: HAProxy turns a user weight w (0..256) into an effective weight
//    eweight = w·16 (BE_WEIGHT_SCALE 16, wmult 1; server.c/lb_fwrr.c init), and
//    a server with eweight 0 is "not usable" and never enters a tree, so weight 0
//    is never picked. Weights above 256 (which HAProxy's parser rejects) are
//    clamped to 256 here.
//  - roundrobin (lb_fwrr.c): the "init", "next" and "current" trees, positions
//    (npos, rweight remainder, curr_pos, curr_weight, next_weight), the keys
//    (SRV_EWGHT_MAX − eweight in init/next: heavy servers first; 256·npos +
//    (4096 + rweight − eweight)/16 in current), the switch of init and next when
//    both current and init run dry, and eb32 ordering: unsigned 32-bit keys,
//    equal keys in insertion order (ebtree appends a duplicate to the right of
//    its dup subtree, eb32_first takes the leftmost). Connections do not affect
//    the picks (there is no maxconn here).
//  - leastconn (lb_fwlc.c): one tree keyed by
//    inflight ? (inflight + 1)·SRV_EWGHT_MAX / eweight : 0, inflight = served
//    (+ queue, always 0 here); pick = first node; the server is repositioned
//    (delete + re-insert, so it goes behind servers with an equal key) when a
//    connection is taken (sess_change_server right after assign_server) and when
//    it ends (stream.c, server side closed); an unchanged key keeps its place.
//    Where the configuration manual and the code differ we follow the code
//    (and the live haproxy agrees): the manual's leastconn is "the server with
//    the lowest number of connections" and does not mention weights; the code
//    divides by eweight, but only for busy servers: an idle server's key is 0
//    whatever its weight, so idle servers rotate in plain turn order and
//    sequential requests ignore the weights altogether ({5,1,1} → abcabc).
//    The manual calls roundrobin "the smoothest"; fwrr actually serves a heavy
//    server in runs ({5,1,1} → aaabaac per cycle, where nginx's smooth WRR
//    gives aabacaa); at every prefix each server is within one pick of its exact
//    share for small weights (2.3 picks for {256,1,13,7,2,1,1}).
//  - random(<draws>): unchanged, and not ported: each draw picks a server with
//    probability ∝ weight (HAProxy draws a random key on its consistent-hash
//    ring); after `draws` draws (default 2) the least loaded by conns/weight
//    wins, the earlier draw on a tie. The ring (hash collisions, the share error
//    of a finite ring) is not modelled, so random is right in distribution only.
//
// Not modelled: dynamic weights (`set weight`, agent checks, slowstart, whose
// re-placement code in fwrr_update_server_weight is not ported), servers going
// down or up, health checks, backup servers (the bck groups; `allbackups`),
// maxconn/maxqueue (saturated servers skipped and re-queued, the backend queue),
// `srvtoavoid` on redispatch, `prefer-last-server`/connection-bound session
// reuse, multi-thread lock races, `hash-type consistent` (see sharding/ketama.h),
// farms big enough to overflow fwrr's 32-bit keys (the manual's 4095-server
// limit), `first`, `static-rr`, `source`, `uri`, `hdr`.
#pragma once
#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "sim/core/rng.h"

namespace scalebook::sim::lb {

class HaproxyBalancer {
 public:
  enum class Algorithm : std::uint8_t { kRoundRobin, kLeastConn, kRandom };
  // HAProxy's constants: BE_WEIGHT_SCALE (backend-t.h), SRV_UWGHT_MAX and
  // SRV_EWGHT_MAX (server-t.h).
  static constexpr int kWeightScale = 16;
  static constexpr int kUserWeightMax = 256;
  static constexpr std::uint32_t kEffectiveWeightMax = kUserWeightMax * kWeightScale;  // 4096

  HaproxyBalancer(std::vector<int> weights, Algorithm algorithm, int draws = 2, std::uint64_t seed = 1);
  // −1 when every weight is 0.
  int pick();
  void release(int server);  // a connection ended
  int conns(int server) const { return conns_[static_cast<std::size_t>(server)]; }
  int servers() const { return static_cast<int>(weights_.size()); }

 private:
  // A stand-in for an eb32 tree holding server nodes: ordered by unsigned key,
  // then by insertion (seq), which is what eb32_insert/eb32_first give.
  struct Entry {
    std::uint32_t key;
    std::uint64_t seq;
    int server;
    auto operator<=>(const Entry&) const = default;
  };
  using Eb32Tree = std::set<Entry>;
  // Trees by index (not pointers, so that a copy of the balancer stays valid).
  enum TreeId : int { kNoTree = -1, kCurr = 0, kT0 = 1, kT1 = 2, kLeastConnTree = 3 };

  struct Server {
    std::uint32_t eweight = 0;  // cur_eweight = next_eweight (static weights)
    // lb_node: its key, its place among equal keys, and the tree it is linked
    // in (kNoTree once eb32_delete'd).
    std::uint32_t key = 0;
    std::uint64_t seq = 0;
    int linked = kNoTree;
    // fwrr only: next position and the remainder of next_weight / eweight.
    int npos = 0;
    int rweight = 0;
  };

  int pick_round_robin();
  int pick_least_conn();
  int pick_random();

  // eb32 primitives.
  void tree_insert(int tree, int server, std::uint32_t key);
  void tree_delete(int server);
  int tree_first(int tree) const;  // −1 if empty

  // lb_fwrr.c
  void fwrr_init();
  void fwrr_queue_by_weight(int tree, int server);
  void fwrr_queue_srv(int server);
  int fwrr_get_server_from_group();
  void fwrr_update_position(int server);
  void fwrr_switch_trees();

  // lb_fwlc.c
  static std::uint32_t fwlc_key(int inflight, std::uint32_t eweight);
  void fwlc_init();
  void fwlc_srv_reposition(int server);

  std::vector<int> weights_;  // as given (random uses them as they are)
  Algorithm algorithm_;
  int draws_;
  Rng rng_;
  std::vector<int> conns_;  // srv->served: connections assigned and not yet ended
  int total_weight_ = 0;

  std::vector<Server> srv_;
  std::array<Eb32Tree, 4> trees_;
  std::uint64_t next_seq_ = 0;
  int usable_ = 0;  // px->srv_act
  // struct fwrr_group for the active servers (backup servers are not modelled).
  int init_ = kT0;
  int next_ = kT1;
  int curr_pos_ = 0;
  int curr_weight_ = 0;
  int next_weight_ = 0;
};

}  // namespace scalebook::sim::lb
