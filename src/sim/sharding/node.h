// node.h — a storage node (a memcached server, a shard) as the strategies see it.
//
// A node is named `host:port` with an integer weight (default 1), written in a
// node list as `host:port[:weight]`, comma-separated — the same triple
// libmemcached's memcached_server_add_with_weight takes. `host` alone means
// port 11211 (memcached's default port). Node identity is the `host:port`
// name: strategies that hash node names (ring, rendezvous, Maglev, ketama)
// keep a node's keys when other nodes come and go.
// Not modelled: IPv6 literals, unix sockets, hostname resolution.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scalebook::sim::sharding {

inline constexpr std::uint32_t kMemcachedDefaultPort = 11211;
inline constexpr std::uint32_t kMaxNodeWeight = 1000000;

struct Node {
  std::string host{};
  std::uint32_t port = kMemcachedDefaultPort;
  std::uint32_t weight = 1;

  // "host:port": what libmemcached reports (memcached_server_name + port).
  std::string name() const { return host + ":" + std::to_string(port); }
  bool operator==(const Node&) const = default;
};

// Parses "host:port[:weight],host:port[:weight],...". On error returns {} and
// sets `error` to a message naming the offending entry.
std::vector<Node> parse_node_list(std::string_view text, std::string& error);

// n generated nodes 10.0.<i/250>.<i%250+1>:11211 with weight 1.
std::vector<Node> generated_nodes(std::size_t n);

// A node for the i-th generated slot (used when a widget adds a node).
Node generated_node(std::size_t i);

}  // namespace scalebook::sim::sharding
