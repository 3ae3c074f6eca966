#include "sim/ratelimit/gcra.h"

namespace scalebook::sim::ratelimit {

namespace {
constexpr std::int64_t kNsPerS = 1000000000;

// Rust's Duration::whole_seconds() truncates toward zero; subsec_milliseconds()
// keeps the sign of the duration.
std::int64_t round_reply_seconds(std::int64_t ns) {
  std::int64_t s = ns / kNsPerS;
  const std::int64_t subsec_ms = (ns % kNsPerS) / 1000000;
  if (subsec_ms > 0) ++s;
  return s;
}
}  // namespace

Gcra::Gcra(const Desc& d) {
  const std::int64_t period_ns = d.period_s * kNsPerS;
  emission_ = (d.count == 0 || period_ns == 0)
                  ? 0
                  : static_cast<std::int64_t>(static_cast<double>(period_ns) / static_cast<double>(d.count));
  dvt_ = emission_ * (d.max_burst + 1);
  limit_ = d.max_burst + 1;
}

ThrottleReply Gcra::throttle(std::int64_t now, std::int64_t quantity) {
  ThrottleReply r;
  r.limit = limit_;
  const std::int64_t increment = emission_ * quantity;
  const std::int64_t tat = tat_ == -1 ? now : tat_;
  const std::int64_t new_tat = (now > tat ? now : tat) + increment;
  const std::int64_t allow_at = new_tat - dvt_;
  const std::int64_t diff = now - allow_at;
  std::int64_t ttl;
  if (diff < 0) {
    r.limited = true;
    if (increment <= dvt_) r.retry_after_ns = -diff;
    ttl = tat - now;
  } else {
    r.limited = false;
    ttl = new_tat - now;
    tat_ = new_tat;
  }
  const std::int64_t next = dvt_ - ttl;
  if (next > -emission_) {
    // whole_microseconds() truncates toward zero; `as i64` truncates toward zero.
    r.remaining = static_cast<std::int64_t>(static_cast<double>(next / 1000) / static_cast<double>(emission_ / 1000));
  }
  r.reset_after_ns = ttl;
  r.retry_after_s = round_reply_seconds(r.retry_after_ns);
  r.reset_after_s = round_reply_seconds(ttl);
  return r;
}

}  // namespace scalebook::sim::ratelimit
