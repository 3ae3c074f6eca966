// virtual_time.h — simulated time for every model: integer microseconds.
//
// Models never read a clock: the caller passes `now_us` (int64_t microseconds of
// simulated time since the start of the run). Integer time keeps runs exact and
// identical natively and in Wasm; 2^63 µs is ~292,000 years, so overflow is not a
// concern for time itself (products of time and rate are, see each model).
// Not modelled: wall clocks, time zones, leap seconds.
#pragma once
#include <cstdint>
#include <string>

namespace scalebook::sim {

inline constexpr std::int64_t kUsPerMs = 1000;
inline constexpr std::int64_t kUsPerS = 1000 * 1000;

constexpr std::int64_t ms_to_us(std::int64_t ms) { return ms * kUsPerMs; }
constexpr std::int64_t s_to_us(std::int64_t s) { return s * kUsPerS; }

// Floor division that is correct for negative numerators (C++ `/` truncates toward zero).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

// Whole milliseconds, rounded down (how nginx sees time: ngx_current_msec).
constexpr std::int64_t us_to_ms_floor(std::int64_t us) { return floor_div(us, kUsPerMs); }
// Whole seconds, rounded down (how `Time.now.to_i` sees time).
constexpr std::int64_t us_to_s_floor(std::int64_t us) { return floor_div(us, kUsPerS); }

// A view advances simulated time by (real elapsed × speed). After a pause or a
// background tab the real step can be huge: clamp it so one frame never
// simulates more than `max_step_us`.
constexpr std::int64_t clamp_step_us(std::int64_t step_us, std::int64_t max_step_us) {
  return step_us < 0 ? 0 : (step_us > max_step_us ? max_step_us : step_us);
}

// Microseconds printed as milliseconds: "12", "12.5", "0.001" (no trailing zeros).
inline std::string format_us_as_ms(std::int64_t us) {
  std::string out;
  if (us < 0) {
    out += '-';
    us = -us;
  }
  out += std::to_string(us / kUsPerMs);
  std::int64_t frac = us % kUsPerMs;
  if (frac != 0) {
    char digits[4] = {char('0' + frac / 100), char('0' + frac / 10 % 10), char('0' + frac % 10), 0};
    int n = 3;
    while (n > 0 && digits[n - 1] == '0') --n;
    out += '.';
    out.append(digits, n);
  }
  return out;
}

}  // namespace scalebook::sim
