#include "sim/ratelimit/decision.h"

namespace scalebook::sim::ratelimit {

std::string parse_rate(std::string_view text, RateSpec& out) {
  const std::string expected = "expected a rate like 10r/s or 600r/m, got \"" + std::string(text) + "\"";
  if (text.size() < 4) return expected;
  const std::string_view unit = text.substr(text.size() - 3);
  std::int64_t period_s = 0;
  if (unit == "r/s") period_s = 1;
  else if (unit == "r/m") period_s = 60;
  else return expected;
  const std::string_view digits = text.substr(0, text.size() - 3);
  std::int64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return expected;
    n = n * 10 + (c - '0');
    if (n > RateSpec::kMaxCount) return "rate count must be at most " + std::to_string(RateSpec::kMaxCount) + " (got \"" + std::string(text) + "\")";
  }
  if (n <= 0) return "rate must be positive, got \"" + std::string(text) + "\"";
  out.count = n;
  out.period_s = period_s;
  return {};
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Admit: return "admit";
    case Verdict::Delay: return "delay";
    case Verdict::Reject: return "reject";
  }
  return "admit";
}

}  // namespace scalebook::sim::ratelimit
