#include "sim/lb/erlang.h"

#include <cmath>
#include <limits>

#include "sim/core/portable_math.h"

namespace scalebook::sim::lb {

double erlang_b(int servers, double offered_load) {
  double b = 1.0;
  for (int k = 1; k <= servers; ++k) b = offered_load * b / (k + offered_load * b);
  return b;
}

double erlang_c(int servers, double offered_load) {
  const double rho = offered_load / servers;
  if (rho >= 1.0) return 1.0;
  const double b = erlang_b(servers, offered_load);
  return b / (1.0 - rho * (1.0 - b));
}

double mmc_mean_wait_in_service_times(int servers, double utilisation) {
  if (utilisation >= 1.0) return std::numeric_limits<double>::infinity();
  return erlang_c(servers, utilisation * servers) / (servers * (1.0 - utilisation));
}

double mmc_mean_response_in_service_times(int servers, double utilisation) {
  return 1.0 + mmc_mean_wait_in_service_times(servers, utilisation);
}

double mmc_response_survival(int servers, double utilisation, double t) {
  if (utilisation >= 1.0) return 1.0;
  if (t <= 0) return 1.0;
  const double c = erlang_c(servers, utilisation * servers);
  const double theta = servers * (1.0 - utilisation);
  const double e1 = pexp(-t);
  const double waited = std::abs(theta - 1.0) < 1e-9 ? (1.0 + t) * e1 : (theta * e1 - pexp(-theta * t)) / (theta - 1.0);
  return (1.0 - c) * e1 + c * waited;
}

double mmc_response_quantile(int servers, double utilisation, double p) {
  if (utilisation >= 1.0 || p >= 1.0) return std::numeric_limits<double>::infinity();
  if (p <= 0.0) return 0.0;
  double lo = 0.0, hi = 1.0;
  while (mmc_response_survival(servers, utilisation, hi) > 1.0 - p) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (mmc_response_survival(servers, utilisation, mid) > 1.0 - p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace scalebook::sim::lb
