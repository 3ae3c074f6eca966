// decision.h — what a rate limiter says about one request, and the rate syntax.
//
// Every limiter in this folder answers `decide(now_us)` with a Decision: admit
// now, admit after a delay (shapers and nginx's burst queue), or reject. Rates
// are written as nginx writes them: "<n>r/s" or "<n>r/m" with a positive
// integer n; each model says how it turns that into its own units.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace scalebook::sim::ratelimit {

enum class Verdict : std::uint8_t { Admit, Delay, Reject };

struct Decision {
  Verdict verdict = Verdict::Admit;
  std::int64_t delay_us = 0;  // > 0 only for Verdict::Delay

  static constexpr Decision admit() { return {Verdict::Admit, 0}; }
  static constexpr Decision reject() { return {Verdict::Reject, 0}; }
  static constexpr Decision delay(std::int64_t us) { return us > 0 ? Decision{Verdict::Delay, us} : admit(); }
  constexpr bool admitted() const { return verdict != Verdict::Reject; }
  friend constexpr bool operator==(const Decision&, const Decision&) = default;
};

// "<count>r/s" or "<count>r/m": `count` requests per `period_s` seconds.
struct RateSpec {
  std::int64_t count = 10;
  std::int64_t period_s = 1;

  static constexpr std::int64_t kMaxCount = 1000000;
  std::int64_t period_us() const { return period_s * 1000000; }
  double per_s() const { return static_cast<double>(count) / static_cast<double>(period_s); }
  // nginx's zone rate, "integer value, 1 corresponds to 0.001 r/s", computed as
  // ngx_http_limit_req_zone does: ctx->rate = rate * 1000 / scale (scale 60 for r/m),
  // with integer division: 1r/m becomes 16, i.e. 0.96 requests per minute.
  std::int64_t nginx_milli_per_s() const { return count * 1000 / period_s; }
};

// Parses "10r/s" / "600r/m". Returns "" and fills `out` on success, else a message.
// Unlike nginx we do not accept a bare number (nginx reads "rate=10" as 10 r/s);
// the unit is required so a reader's intent is never guessed.
std::string parse_rate(std::string_view text, RateSpec& out);

const char* verdict_name(Verdict v);

}  // namespace scalebook::sim::ratelimit
