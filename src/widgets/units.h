// units.h — the small unit conversions and number texts every scenario's summary uses,
// UI-free (native and Wasm): milliseconds to the integer microseconds the models run on,
// "12.34 s" for a time, and "12,345" for a count. One copy, so that every widget's live text
// prints numbers the same way (the views' kit::thousands is this one too).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace scalebook::widgets::units {

// Milliseconds (a parameter's unit) → microseconds (the model's), rounded to the nearest.
inline std::int64_t ms_us(double ms) { return static_cast<std::int64_t>(std::llround(ms * 1000.0)); }

// A time in seconds with two decimals: 1'234'567 µs → "1.23 s".
inline std::string secs(std::int64_t us) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f s", static_cast<double>(us) / 1e6);
  return b;
}

// A count with thousands separators: 1234567 → "1,234,567".
inline std::string thousands(unsigned long long v) {
  const std::string d = std::to_string(v);
  std::string s;
  s.reserve(d.size() + d.size() / 3);
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(d[i]);
  }
  return s;
}

}  // namespace scalebook::widgets::units
