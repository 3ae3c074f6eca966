// `scalebook sim queue` — the queueing-only mode: one pooled M/M/c queue, given the
// arrival rate λ, the service rate μ of one worker and the number of workers c. Prints
// the closed forms (Erlang C: P(wait), the mean, and the response-time percentiles from
// src/sim/lb/erlang.h) beside the discrete-event queueing core's run of the same queue
// (src/sim/lb/queueing.h), so the knee of the latency curve can be read off both.
//
//   scalebook sim queue --set lambda=900 --set mu=1000 --set servers=1
//   scalebook sim queue --set lambda=3600 --set mu=1000 --set servers=4 --json
//
// Parameters (all --set): lambda (arrivals/s, > 0), mu (requests/s one worker serves,
// 1 … 10,000, so a mean service time ≥ 100 µs stays well above the core's 1 µs clock),
// servers (workers sharing the queue, 1 … 1,000), requests (simulated, 1,000 …
// 10,000,000; default 1,000,000, the first tenth a warm-up left out of the statistics),
// seed (default 1). λ/(c·μ) must be below 1: otherwise the queue has no steady state.
// Simulated percentiles come from a log histogram (within 1/64); the mean is exact and
// carries a 99% batch-means interval (50 batches).
#include <cstdio>
#include <string>

#include "cli/sim_args.h"
#include "widgets/catalog.h"
#include "sim/lb/erlang.h"
#include "sim/lb/queueing.h"

namespace scalebook::cli {

namespace {

// The mode's parameters, checked by the catalog's one validator (widgets/catalog.h) so
// their messages read as every other `--set`'s.
const widgets::ParamSpec kParams[] = {
    {.name = "lambda", .type = widgets::ParamType::Float, .min = 1e-6, .max = 1e9},
    {.name = "mu", .type = widgets::ParamType::Float, .min = 1, .max = 10000},
    {.name = "servers", .type = widgets::ParamType::Int, .min = 1, .max = 1000},
    {.name = "requests", .type = widgets::ParamType::Int, .min = 1000, .max = 10000000},
};

std::string ms(double us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", us / 1000.0);
  return buf;
}

}  // namespace

int sim_queue(const SimArgs& args_in, std::string& out) {
  SimArgs args = args_in;
  const std::uint64_t seed = take_seed(args);
  double lambda = 900, mu = 1000;
  int servers = 1;
  std::uint64_t requests = 1000000;
  for (const auto& [k, v] : args.sets) {
    const widgets::ParamSpec* spec = nullptr;
    for (const auto& p : kParams) spec = p.name == k ? &p : spec;
    if (!spec) throw UsageError("unknown parameter '" + k + "' for 'sim queue' (known: lambda, mu, servers, requests, seed)");
    if (std::string e = widgets::validate_param(*spec, v); !e.empty()) throw UsageError("parameter '" + k + "': " + e);
    const double x = std::stod(v);
    if (k == "lambda") lambda = x;
    else if (k == "mu") mu = x;
    else if (k == "servers") servers = static_cast<int>(x);
    else requests = static_cast<std::uint64_t>(x);
  }
  const double rho = lambda / (servers * mu);
  if (rho >= 1.0) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "utilisation lambda / (servers * mu) = %.4g is not below 1: the queue grows without bound; lower lambda or raise mu or servers",
                  rho);
    throw UsageError(buf);
  }

  namespace lb = sim::lb;
  lb::QueueingDesc d;
  d.arrivals.rate_per_s = lambda;
  d.service.mean_us = 1e6 / mu;
  d.servers = {lb::ServerDesc{.workers = servers}};
  d.requests = requests;
  d.warmup_requests = requests / 10;
  d.batch_size = (requests - d.warmup_requests) / 50;
  d.seed = seed;
  const lb::QueueingResult r = lb::run_queueing(d);

  const double s_us = 1e6 / mu;
  const double pwait = lb::erlang_c(servers, lambda / mu);
  const double mean_cf = s_us * lb::mmc_mean_response_in_service_times(servers, rho);
  const double qs[] = {0.5, 0.9, 0.99, 0.999};
  const char* qn[] = {"p50", "p90", "p99", "p999"};
  const double hw = lb::batch_means_half_width_99(r.batch_means_us);
  double cf_us[4], sim_us[4];
  for (int i = 0; i < 4; ++i) {
    cf_us[i] = s_us * lb::mmc_response_quantile(servers, rho, qs[i]);
    sim_us[i] = static_cast<double>(r.latency_us.quantile(qs[i]));
  }

  if (args.json) {
    out += "{\"lambda_per_s\":" + json_number(lambda) + ",\"mu_per_s\":" + json_number(mu) + ",\"servers\":" + std::to_string(servers) +
           ",\"utilisation\":" + json_number(rho) + ",\"p_wait\":" + json_number(pwait) + ",\"closed_form_ms\":{\"mean\":" +
           json_number(mean_cf / 1000);
    for (int i = 0; i < 4; ++i)
      out += ",\"" + std::string(qn[i]) + "\":" + json_number(cf_us[i] / 1000);
    out += "},\"simulated_ms\":{\"mean\":" + json_number(r.mean_latency_us / 1000) + ",\"mean_half_width_99\":" + json_number(hw / 1000);
    for (int i = 0; i < 4; ++i)
      out += ",\"" + std::string(qn[i]) + "\":" + json_number(sim_us[i] / 1000);
    out += "},\"requests\":" + std::to_string(requests) + ",\"warmup\":" + std::to_string(d.warmup_requests) + ",\"seed\":" +
           std::to_string(seed) + "}\n";
    return 0;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "M/M/%d: lambda %g/s, mu %g/s per worker, %d worker%s, utilisation %.3f, P(wait) %.4f (Erlang C)\n",
                servers, lambda, mu, servers, servers == 1 ? "" : "s", rho, pwait);
  out += buf;
  std::snprintf(buf, sizeof buf, "%-20s %12s %12s\n", "response time (ms)", "closed form", "simulated");
  out += buf;
  std::snprintf(buf, sizeof buf, "%-20s %12s %12s  ±%s (99%%)\n", "mean", ms(mean_cf).c_str(), ms(r.mean_latency_us).c_str(), ms(hw).c_str());
  out += buf;
  for (int i = 0; i < 4; ++i) {
    std::snprintf(buf, sizeof buf, "%-20s %12s %12s\n", qn[i], ms(cf_us[i]).c_str(), ms(sim_us[i]).c_str());
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "simulated: %llu requests (the first %llu a warm-up), seed %llu; percentiles within 1/64\n",
                static_cast<unsigned long long>(requests), static_cast<unsigned long long>(d.warmup_requests),
                static_cast<unsigned long long>(seed));
  out += buf;
  return 0;
}

}  // namespace scalebook::cli
