// ketama.h — memcached's ketama continuum exactly as libmemcached computes it
// in weighted mode (MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, distribution
// MEMCACHED_DISTRIBUTION_CONSISTENT_WEIGHTED, key and distribution hash MD5).
//
// What it models (libmemcached hosts.cc update_continuum, hash.cc dispatch_host):
//  * each server i gets pointer_per_server = floor(pct·160/4·N + 1e-10)·4
//    points, computed in single-precision float as libmemcached does, where
//    pct = (float)weight_i / (float)total_weight and N = number of servers;
//  * the points come from MD5 digests of the sort key "host-j" when the port
//    is 11211 (MEMCACHED_DEFAULT_PORT) and "host:port-j" otherwise,
//    j = 0 .. pointer_per_server/4 − 1; each digest gives four points, its
//    four little-endian 32-bit words;
//  * the continuum is sorted by (value, server index), as libmemcached's
//    continuum_item_cmp does;
//  * a key hashes to the first four bytes of its MD5 digest, little-endian,
//    and goes to the first point whose value is ≥ that hash, wrapping to the
//    first point; with exactly one server libmemcached skips hashing and
//    answers server 0.
// Invariants: server indexes are positions in the list given to build()
// (libmemcached's insertion order; MEMCACHED_BEHAVIOR_SORT_HOSTS off).
// Unlike libmemcached 1.1.4, which aborts when a continuum has more than 100
// servers (its MEMCACHED_CONTINUUM_SIZE assertion), any number of servers works.
// Not modelled: auto-ejection of failed hosts, namespaces/prefix hashing, the
// unweighted (100 points, one per hash) and spymemcached variants.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/sharding/node.h"

namespace scalebook::sim::sharding {

struct KetamaPoint {
  std::uint32_t value = 0;
  std::uint32_t server = 0;
};

// libmemcached's pointer_per_server for one server in weighted mode.
std::uint32_t ketama_points_for(std::uint32_t weight, std::uint64_t total_weight, std::uint32_t servers);

class KetamaContinuum {
 public:
  void build(const std::vector<Node>& servers);
  // Server index for a key; `steps` (if given) receives the binary-search iterations.
  std::uint32_t server_for(std::string_view key, std::uint32_t* steps = nullptr) const;
  // Index into points() of the point a hash maps to (first value ≥ hash, wrapping).
  std::size_t point_index(std::uint32_t hash, std::uint32_t* steps = nullptr) const;
  const std::vector<KetamaPoint>& points() const { return points_; }
  std::uint32_t servers() const { return servers_; }

 private:
  std::vector<KetamaPoint> points_;
  std::uint32_t servers_ = 0;
};

}  // namespace scalebook::sim::sharding
