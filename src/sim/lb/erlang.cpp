#include "sim/lb/erlang.h"

#include <limits>

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

}  // namespace scalebook::sim::lb
