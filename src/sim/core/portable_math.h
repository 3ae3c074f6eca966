// portable_math.h — log/exp/pow built only from IEEE-754 basic operations.
//
// Why: glibc (native tests) picks FMA or non-FMA code paths for log/exp/pow at
// run time, and Emscripten links musl's versions; they can differ in the last
// bit, which breaks "same seed ⇒ same run, natively and in Wasm". +, -, *, /,
// sqrt, frexp, ldexp and rint are exactly specified by IEEE-754, so a function
// built from them alone gives bit-identical results everywhere (we never build
// with -ffast-math or FMA contraction).
// Accuracy: a few ULP, plenty for simulation. Not for anything needing
// correctly rounded results.
#pragma once
#include <cmath>
#include <limits>

namespace scalebook::sim {

inline double plog(double x) {
  if (!(x > 0.0)) return x == 0.0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  if (x == std::numeric_limits<double>::infinity()) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    e -= 1;
  }
  const double f = (m - 1.0) / (m + 1.0);  // |f| < 0.1716
  const double s = f * f;
  // 2 * atanh(f) = 2 (f + f^3/3 + f^5/5 + ...), Horner in s.
  double p = 1.0 / 23.0;
  for (int k = 21; k >= 1; k -= 2) p = p * s + 1.0 / k;
  const double log_m = 2.0 * f * p;
  constexpr double ln2_hi = 6.93147180369123816490e-01;
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  return e * ln2_hi + (log_m + e * ln2_lo);
}

inline double pexp(double x) {
  if (x != x) return x;
  if (x > 709.78) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  constexpr double ln2_hi = 6.93147180369123816490e-01;
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  const double k = std::rint(x * 1.44269504088896338700);
  const double r = (x - k * ln2_hi) - k * ln2_lo;  // |r| <= ~0.3466
  double p = 1.0;
  for (int i = 17; i >= 1; --i) p = 1.0 + p * r / i;
  return std::ldexp(p, static_cast<int>(k));
}

// x^y for x > 0.
inline double ppow(double x, double y) { return pexp(y * plog(x)); }

}  // namespace scalebook::sim
