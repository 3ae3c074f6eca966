// samples.h — UI-free pieces of the charts (widgets/chart.h draws them with ImGui):
//  - SampleRing: a bounded ring of float samples taken every period of *simulated* time
//    (sample k is at k × period). A scenario samples on its own simulated clock, so
//    advance(a); advance(b) gives the same samples as advance(a + b). Memory: `capacity`
//    floats; the oldest sample is dropped when full (first_index() says which absolute
//    sample the ring starts at). A view passes a scenario's rings to draw_chart() as they are.
//  - the tick and caption formatters (plain numbers, seconds, bytes), which a scenario's
//    summary shares with the chart labels.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace scalebook::widgets::chart {

class SampleRing {
 public:
  SampleRing() : SampleRing(512) {}
  explicit SampleRing(std::size_t capacity) : data_(capacity > 0 ? capacity : 1) {}
  void clear() {
    total_ = 0;
  }
  void push(float v) { data_[total_++ % data_.size()] = v; }
  std::size_t size() const { return std::min<std::size_t>(total_, data_.size()); }
  std::size_t capacity() const { return data_.size(); }
  std::uint64_t total() const { return total_; }            // samples ever pushed
  std::uint64_t first_index() const { return total_ - size(); }  // absolute index of (*this)[0]
  float operator[](std::size_t i) const { return data_[(first_index() + i) % data_.size()]; }  // oldest first
  float latest() const { return total_ ? (*this)[size() - 1] : 0.0f; }
  float max() const {
    float m = 0;
    for (std::size_t i = 0; i < size(); ++i) m = std::max(m, (*this)[i]);
    return m;
  }

 private:
  std::vector<float> data_;
  std::uint64_t total_ = 0;
};

// Tick label formatters: write a short label for v into buf.
using Format = void (*)(char* buf, std::size_t n, double v);

inline void trim_zeros(char* buf) {  // "2.50" → "2.5", "3.0" → "3"
  char* dot = std::strchr(buf, '.');
  if (!dot) return;
  char* end = buf + std::strlen(buf) - 1;
  while (end > dot && *end == '0') *end-- = 0;
  if (end == dot) *end = 0;
}
inline void fmt_plain(char* buf, std::size_t n, double v) {
  if (std::fabs(v) >= 1e6) std::snprintf(buf, n, "%.3gM", v / 1e6);
  else if (std::fabs(v) >= 1e3) std::snprintf(buf, n, "%.3gk", v / 1e3);
  else if (std::fabs(v) >= 10 || v == std::floor(v)) std::snprintf(buf, n, "%.0f", v);
  else {
    std::snprintf(buf, n, "%.2f", v);
    trim_zeros(buf);
  }
}
inline void fmt_seconds(char* buf, std::size_t n, double s) {
  if (s == 0) std::snprintf(buf, n, "0");
  else if (std::fabs(s) < 1) std::snprintf(buf, n, "%.0f ms", s * 1e3);
  else if (std::fabs(s) < 600) {
    std::snprintf(buf, n, "%.1f", s);
    trim_zeros(buf);
    std::strncat(buf, " s", n - std::strlen(buf) - 1);
  } else {
    std::snprintf(buf, n, "%.1f", s / 60);
    trim_zeros(buf);
    std::strncat(buf, " min", n - std::strlen(buf) - 1);
  }
}
inline void fmt_bytes(char* buf, std::size_t n, double b) {
  const char* unit = "B";
  double v = b;
  if (std::fabs(b) >= 1e12) {
    v = b / 1e12;
    unit = "TB";
  } else if (std::fabs(b) >= 1e9) {
    v = b / 1e9;
    unit = "GB";
  } else if (std::fabs(b) >= 1e6) {
    v = b / 1e6;
    unit = "MB";
  } else if (std::fabs(b) >= 1e3) {
    v = b / 1e3;
    unit = "kB";
  }
  if (v == 0) {
    std::snprintf(buf, n, "0");
    return;
  }
  std::snprintf(buf, n, std::fabs(v) >= 100 ? "%.0f" : std::fabs(v) >= 10 ? "%.1f" : "%.2f", v);  // 3 significant
  trim_zeros(buf);
  std::strncat(buf, " ", n - std::strlen(buf) - 1);
  std::strncat(buf, unit, n - std::strlen(buf) - 1);
}

// The same as text.
inline std::string seconds_text(double s) {
  char buf[32];
  fmt_seconds(buf, sizeof buf, s);
  return buf;
}
inline std::string bytes_text(double b) {
  char buf[32];
  fmt_bytes(buf, sizeof buf, b);
  return buf;
}

}  // namespace scalebook::widgets::chart
