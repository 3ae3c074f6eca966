// fanout/format.h — UI-free text for numbers, shared by the scenario's summary and the
// view's captions: seconds_text() and bytes_text() are the chart labels' own formatters
// (widgets/samples.h), so the summary reads exactly as the charts do ("420 ms", "1.23 MB");
// count_text() for the estimate's large counts.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>

#include "widgets/samples.h"

namespace scalebook::widgets::fanout {

using chart::bytes_text;    // widgets/samples.h: the chart labels' own formatters
using chart::seconds_text;

// 3 × 10^10 → "30 billion", 4.5 × 10^5 → "450 thousand"; smaller as is.
inline std::string count_text(double v) {
  char buf[48];
  if (v >= 1e9) std::snprintf(buf, sizeof buf, "%.3g billion", v / 1e9);
  else if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.3g million", v / 1e6);
  else if (v >= 1e4) std::snprintf(buf, sizeof buf, "%.3g thousand", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

}  // namespace scalebook::widgets::fanout
