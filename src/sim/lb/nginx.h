// nginx.h — nginx 1.22's upstream peer selection, as its source picks.
//
// Models (src/http/ngx_http_upstream_round_robin.c, modules/
// ngx_http_upstream_least_conn_module.c, modules/ngx_http_upstream_ip_hash_module.c
// at release-1.22.1):
//  - Smooth weighted round robin (ngx_http_upstream_get_peer): every eligible peer's
//    current_weight grows by its effective_weight, the largest wins (the first one
//    on a tie, in configuration order) and loses the sum of the effective weights.
//    {5,1,1} → a,a,b,a,c,a,a.
//  - least_conn: the eligible peer with the lowest conns/weight (compared as
//    conns_a·weight_b < conns_b·weight_a); when several tie, the smooth weighted
//    round robin runs over the tied ones only, starting at the first of them.
//    Without a tie no current_weight moves.
//  - ip_hash: hash starts at 89; for IPv4 the first three octets fold in as
//    hash = (hash·113 + octet) mod 6271; the peer is found by walking
//    hash mod total_weight through the weights in order. An ineligible peer
//    makes the hash fold the same three octets again (the hash carries over);
//    after 21 tries in total (nginx: `++tries > 20`) the request falls back to
//    round robin. total_weight counts down peers too, as nginx's init does.
//  - Eligibility, per try: not already tried by this request, not `down`, not
//    failed (fails ≥ max_fails within fail_timeout seconds of `checked`), under
//    max_conns.
//  - Passive failures (ngx_http_upstream_free_round_robin_peer): a failed attempt
//    sets fails++, accessed = checked = now, and effective_weight −= weight/max_fails
//    (floor 0); effective_weight climbs back by 1 each time the peer takes part in a
//    round-robin selection. A success resets fails only if the peer was picked after
//    its last failure's check time (accessed < checked). A pick sets checked = now
//    once fail_timeout has passed since the last check, which is what lets a failed
//    peer be tried again after fail_timeout.
//  - A single peer (peers->single): never skipped for failures, and failures are
//    not counted (nginx short-cuts both).
// Code vs documentation (we follow the code): the docs say a server that reached
// max_fails is "unavailable for the duration of fail_timeout"; the code then lets
// one request through (the pick that moves `checked`) and only a success after that
// clears fails. The docs do not mention that a failure also cuts effective_weight by
// weight/max_fails, which slows a recovered peer's return under round robin.
// Time: nginx's ngx_time(), whole seconds: now_us is floored to seconds.
// Not modelled: backup servers, the shared-memory zone and resolve, slow_start
// (commercial), IPv6 and unix-socket clients for ip_hash (IPv4 only here), the
// `hash` module (see sharding/ketama.h for `hash … consistent`), proxy_next_upstream's
// tries/timeouts accounting (the caller decides when to retry), keepalive caches,
// several worker processes (each worker has its own state without a zone: model one).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace scalebook::sim::lb {

struct NginxServer {
  std::string name;
  int weight = 1;               // nginx's default
  int max_fails = 1;            // nginx's default; 0 disables failure accounting
  std::int64_t fail_timeout_s = 10;  // nginx's default
  int max_conns = 0;            // 0 → unlimited
  bool down = false;
};

enum class NginxMethod : std::uint8_t { kRoundRobin, kLeastConn, kIpHash };

// One request's selection state across its tries (nginx's rrp->tried bitmap and
// ip_hash's hash/tries).
struct NginxRequest {
  std::vector<bool> tried;
  std::array<std::uint8_t, 3> ip_prefix{};  // first three octets of the client's IPv4 address
  std::uint32_t hash = 89;
  int hash_tries = 0;
};

class NginxUpstream {
 public:
  NginxUpstream(std::vector<NginxServer> servers, NginxMethod method);

  NginxRequest begin_request(std::uint32_t client_ipv4 = 0) const;  // address in host order
  // The peer for the next try of `req`, or −1 when none is eligible (nginx: NGX_BUSY, 502).
  int pick(NginxRequest& req, std::int64_t now_us);
  // The try on `peer` ended (nginx's free peer): failed = proxy_next_upstream's verdict.
  void release(int peer, bool failed, std::int64_t now_us);

  // Convenience: one request, one try, released at once as a success.
  int pick_and_release(std::uint32_t client_ipv4, std::int64_t now_us);

  std::size_t size() const { return peers_.size(); }
  int total_weight() const { return total_weight_; }
  int current_weight(int p) const { return peers_[static_cast<std::size_t>(p)].current_weight; }
  int effective_weight(int p) const { return peers_[static_cast<std::size_t>(p)].effective_weight; }
  int conns(int p) const { return peers_[static_cast<std::size_t>(p)].conns; }
  int fails(int p) const { return peers_[static_cast<std::size_t>(p)].fails; }
  const std::string& name(int p) const { return peers_[static_cast<std::size_t>(p)].cfg.name; }

  // ip_hash's first-try hash chain for a client, without state (for tests and the CLI).
  static std::uint32_t ip_hash_fold(std::uint32_t hash, const std::array<std::uint8_t, 3>& prefix);

 private:
  struct Peer {
    NginxServer cfg;
    int current_weight = 0;
    int effective_weight = 0;
    int conns = 0;
    int fails = 0;
    std::int64_t accessed_s = 0;
    std::int64_t checked_s = 0;
  };
  bool eligible(const Peer& p, std::int64_t now_s) const;
  bool failed_now(const Peer& p, std::int64_t now_s) const;
  int pick_round_robin(NginxRequest& req, std::int64_t now_s);
  int pick_least_conn(NginxRequest& req, std::int64_t now_s);
  int pick_ip_hash(NginxRequest& req, std::int64_t now_s);
  int take(NginxRequest& req, int p);

  std::vector<Peer> peers_;
  NginxMethod method_;
  int total_weight_ = 0;
  bool single_ = false;
};

}  // namespace scalebook::sim::lb
