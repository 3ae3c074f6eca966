#include "sim/ratelimit/nginx_limit_req.h"

#include <cstdlib>
#include <limits>

#include "sim/core/virtual_time.h"

namespace scalebook::sim::ratelimit {

namespace {
// NGX_MAX_INT_T_VALUE on a 64-bit build.
constexpr std::int64_t kNgxMaxInt = std::numeric_limits<std::int64_t>::max();
}  // namespace

NginxLimitReq::NginxLimitReq(const NginxLimitReqDesc& d)
    : rate_(d.rate.nginx_milli_per_s()),
      burst_(d.burst * 1000),
      // "nodelay" sets delay = NGX_MAX_INT_T_VALUE / 1000 before the ×1000.
      delay_((d.nodelay ? kNgxMaxInt / 1000 : d.delay) * 1000) {}

NginxOutcome NginxLimitReq::lookup(NginxNode& lr, std::uint64_t now_ms) const {
  // ms = (ngx_msec_int_t) (now - lr->last): unsigned subtraction, then signed.
  auto ms = static_cast<std::int64_t>(now_ms - lr.last_ms);
  if (ms < -60000) ms = 1;
  else if (ms < 0) ms = 0;
  // excess = lr->excess - ctx->rate * ms / 1000 + 1000 (ngx_uint_t arithmetic,
  // stored in ngx_int_t: equal to signed arithmetic for these magnitudes).
  std::int64_t excess = lr.excess - rate_ * ms / 1000 + 1000;
  if (excess < 0) excess = 0;
  NginxOutcome out;
  out.excess = excess;
  if (excess > burst_) {  // NGX_BUSY: the node keeps its old excess and last
    out.decision = Decision::reject();
    return out;
  }
  lr.excess = excess;
  if (ms) lr.last_ms = now_ms;
  // ngx_http_limit_req_account: delay only above `delay`.
  if (excess > delay_) {
    out.delay_ms = (excess - delay_) * 1000 / rate_;
    out.decision = Decision::delay(out.delay_ms * kUsPerMs);
  } else {
    out.decision = Decision::admit();
  }
  return out;
}

NginxOutcome NginxLimitReq::create(NginxNode& lr, std::uint64_t now_ms) const {
  lr.excess = 0;
  lr.last_ms = now_ms;
  return NginxOutcome{Decision::admit(), 0, 0};
}

NginxOutcome NginxLimitReq::decide_detail(std::int64_t now_us) {
  const auto now_ms = static_cast<std::uint64_t>(us_to_ms_floor(now_us));
  if (!has_node_) {
    has_node_ = true;
    return create(node_, now_ms);
  }
  return lookup(node_, now_ms);
}

std::int64_t NginxLimitReq::drained_excess(const NginxNode& lr, std::uint64_t now_ms) const {
  auto ms = static_cast<std::int64_t>(now_ms - lr.last_ms);
  ms = std::llabs(ms);  // ngx_abs(ms) in ngx_http_limit_req_expire
  if (ms < 60000) return 1;  // "not expired" (any positive value)
  return lr.excess - rate_ * ms / 1000;
}

// ngx_http_limit_req_expire: n == 1 frees up to two idle, drained tail entries;
// n == 0 first frees the tail by force, then up to two idle ones.
void NginxZone::expire(std::uint64_t now_ms, int n) {
  while (n < 3) {
    auto* tail = table_.tail();
    if (!tail) return;
    if (n++ != 0) {
      if (limit_.drained_excess(tail->state, now_ms) > 0) return;
      ++expired_;
    } else {
      ++forced_;
    }
    table_.remove_tail();
  }
}

NginxOutcome NginxZone::decide_detail(std::int64_t now_us, std::uint64_t key) {
  const auto now_ms = static_cast<std::uint64_t>(us_to_ms_floor(now_us));
  if (NginxNode* lr = table_.touch(key)) return limit_.lookup(*lr, now_ms);
  expire(now_ms, 1);
  if (table_.full()) expire(now_ms, 0);
  NginxNode& lr = table_.insert(key, NginxNode{});
  return limit_.create(lr, now_ms);
}

}  // namespace scalebook::sim::ratelimit
