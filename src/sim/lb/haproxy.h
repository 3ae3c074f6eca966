// haproxy.h — HAProxy's `balance roundrobin`, `leastconn` and `random(<draws>)`,
// simplified from its configuration manual (SIMPLIFIED: not ported from lb_fwrr.c,
// lb_fwlc.c or lb_chash.c line by line; sequences agree in proportion and in
// the documented rules, not necessarily pick for pick).
//
// Models:
//  - roundrobin: "each server is used in turns, according to their weights". Here
//    each server has a next position; the server with the smallest one is picked
//    (lowest index on ties) and moves on by 1/weight. Weight 0 = never picked.
//    HAProxy's fwrr tree places servers the same way in spirit (by a position
//    that advances inversely to the weight) but its exact interleaving and its
//    dynamic-weight (slowstart, `set weight`) behaviour are not reproduced.
//  - leastconn: "the server with the lowest number of connections receives the
//    connection; round-robin is performed within groups of servers of the same
//    load". The load key is (conns + 1) / weight as in lb_fwlc.c's
//    (served + 1)·SRV_EWGHT_MAX / eweight; among equal keys the server that was
//    (re)positioned longest ago wins. Queued requests (served + queue) are not
//    modelled separately from conns.
//  - random(<draws>): each draw picks a server with probability ∝ weight (HAProxy
//    draws a random key on its consistent-hash ring, where a server's share is its
//    weight); after `draws` draws (default 2) the least loaded by conns/weight
//    wins, the earlier draw on a tie. The ring itself (hash collisions, the share
//    error of a finite ring) is not modelled.
// Not modelled: backup servers, `hash-type consistent` (see sharding/ketama.h),
// maxconn queues, health checks, slowstart, `first`, `source`, `uri`, `hdr`.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/rng.h"

namespace scalebook::sim::lb {

class HaproxyBalancer {
 public:
  enum class Algorithm : std::uint8_t { kRoundRobin, kLeastConn, kRandom };
  HaproxyBalancer(std::vector<int> weights, Algorithm algorithm, int draws = 2, std::uint64_t seed = 1);
  // −1 when every weight is 0.
  int pick();
  void release(int server);  // a connection ended
  int conns(int server) const { return conns_[static_cast<std::size_t>(server)]; }

 private:
  int pick_round_robin();
  int pick_least_conn();
  int pick_random();
  std::vector<int> weights_;
  Algorithm algorithm_;
  int draws_;
  Rng rng_;
  std::vector<int> conns_;
  std::vector<double> next_position_;
  std::vector<std::uint64_t> positioned_at_;
  std::uint64_t clock_ = 0;
  int total_weight_ = 0;
};

}  // namespace scalebook::sim::lb
