// nginx_limit_req.h — nginx's limit_req, decision for decision.
//
// Models ngx_http_limit_req_module.c (nginx 1.15.7+, the version with `delay=`;
// read from nginx/nginx src/http/modules/ngx_http_limit_req_module.c) for ONE
// limit_req directive per location (the common case):
//  - Rate: `rate=Nr/s` or `rate=Nr/m` becomes ctx->rate = N * 1000 / scale
//    milli-requests per second, integer division (ngx_http_limit_req_zone);
//    so 1r/m is 16, not 16.67.
//  - burst=B and delay=D are stored ×1000 (ngx_http_limit_req); `nodelay` sets
//    delay = NGX_MAX_INT_T_VALUE / 1000 (so it never delays). Default burst 0, delay 0.
//  - Time is ngx_current_msec: whole milliseconds (we floor µs to ms).
//  - Per key (ngx_http_limit_req_lookup, existing node):
//      ms = (ngx_msec_int_t)(now - lr->last);  if ms < -60000: ms = 1; else if ms < 0: ms = 0
//      excess = lr->excess - ctx->rate * ms / 1000 + 1000;  if excess < 0: excess = 0
//      if excess > burst: NGX_BUSY (reject; excess/last NOT stored)
//      else: lr->excess = excess; if (ms) lr->last = now   (account == 1)
//    New node: excess = 0, last = now — the first request of a key is never
//    delayed and never rejected, even with burst=0.
//  - Delay (ngx_http_limit_req_account): if excess <= delay: none, else
//    (excess - delay) * 1000 / ctx->rate ms (integer division).
//  - Keys live in a zone with an LRU queue (NginxZone): on a new key nginx
//    first frees up to two least-recently-used entries idle for >= 60 s whose
//    excess has drained (ngx_http_limit_req_expire(ctx, 1)); when the zone is
//    full it frees the LRU entry by force (expire(ctx, 0)). A forgotten key
//    starts again from excess 0. Zone size is modelled as a node count.
// Does NOT model: several limit_req directives on one request (nginx then
// accounts all zones and takes the largest delay), dry_run, limit_req_status,
// the event-loop's cached time going stale within one loop iteration,
// 32-bit platforms (ngx_uint_t is 64-bit here), requests that abort while delayed.
#pragma once
#include <cstdint>

#include "sim/ratelimit/decision.h"
#include "sim/ratelimit/keyed_table.h"

namespace scalebook::sim::ratelimit {

struct NginxLimitReqDesc {
  RateSpec rate{};
  std::int64_t burst = 0;  // requests (nginx multiplies by 1000)
  std::int64_t delay = 0;  // requests (delay=N)
  bool nodelay = false;
};

// lr node state: ngx_http_limit_req_node_t's `last` and `excess`.
struct NginxNode {
  std::uint64_t last_ms = 0;  // ngx_msec_t
  std::int64_t excess = 0;    // milli-requests
};

// Outcome of one lookup, with nginx's own quantities for teaching and tests.
struct NginxOutcome {
  Decision decision;
  std::int64_t excess = 0;    // *ep: the excess nginx computed (also when busy)
  std::int64_t delay_ms = 0;  // the timer nginx would set (0 = none)
};

class NginxLimitReq {
 public:
  explicit NginxLimitReq(const NginxLimitReqDesc& d);
  std::int64_t rate_milli() const { return rate_; }
  std::int64_t burst_milli() const { return burst_; }
  std::int64_t delay_milli() const { return delay_; }

  // An existing node (ngx_http_limit_req_lookup, rc == 0 branch, account = 1).
  NginxOutcome lookup(NginxNode& lr, std::uint64_t now_ms) const;
  // A new node: excess 0, last = now, admitted without delay.
  NginxOutcome create(NginxNode& lr, std::uint64_t now_ms) const;

  // Single-key convenience: the first call creates the node.
  NginxOutcome decide_detail(std::int64_t now_us);
  Decision decide(std::int64_t now_us) { return decide_detail(now_us).decision; }
  const NginxNode& node() const { return node_; }
  bool has_node() const { return has_node_; }

  // Used by NginxZone::expire.
  std::int64_t drained_excess(const NginxNode& lr, std::uint64_t now_ms) const;

  using Desc = NginxLimitReqDesc;

 private:
  std::int64_t rate_;   // ctx->rate
  std::int64_t burst_;  // limit->burst
  std::int64_t delay_;  // limit->delay
  NginxNode node_{};
  bool has_node_ = false;
};

// A limit_req_zone: per-key nodes with nginx's LRU expiry, capped at `max_nodes`.
class NginxZone {
 public:
  NginxZone(const NginxLimitReqDesc& d, std::size_t max_nodes) : limit_(d), table_(max_nodes) {}
  NginxOutcome decide_detail(std::int64_t now_us, std::uint64_t key);
  Decision decide(std::int64_t now_us, std::uint64_t key) { return decide_detail(now_us, key).decision; }
  std::uint64_t evictions() const { return forced_; }      // freed while still holding state
  std::uint64_t expirations() const { return expired_; }   // idle, drained entries freed
  std::size_t clients() const { return table_.size(); }
  const NginxNode* find(std::uint64_t key) const { return table_.peek(key); }

 private:
  void expire(std::uint64_t now_ms, int n);
  NginxLimitReq limit_;
  KeyedTable<NginxNode> table_;
  std::uint64_t forced_ = 0, expired_ = 0;
};

}  // namespace scalebook::sim::ratelimit
