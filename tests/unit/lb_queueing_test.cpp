// The queueing core against closed forms: Erlang C for M/M/1 and M/M/c at ρ = 0.9
// (batch-means confidence intervals), Little's law on every run, and the
// behaviours the core claims (bounded queues reject, timeouts retry, determinism).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/lb/erlang.h"
#include "sim/lb/queueing.h"

namespace scalebook::sim::lb {
namespace {

constexpr double kServiceUs = 10000.0;  // 10 ms: 1 µs rounding is 1e-4 of a service time

TEST(LbErlang, ClosedFormMatchesPublishedValuesAtRho09) {
  EXPECT_DOUBLE_EQ(mmc_mean_response_in_service_times(1, 0.9), 10.0);
  EXPECT_NEAR(mmc_mean_response_in_service_times(2, 0.9), 5.26, 0.005);
  EXPECT_NEAR(mmc_mean_response_in_service_times(4, 0.9), 2.97, 0.005);
  EXPECT_NEAR(mmc_mean_response_in_service_times(8, 0.9), 1.88, 0.005);
  EXPECT_NEAR(mmc_mean_response_in_service_times(16, 0.9), 1.37, 0.005);
  // c = 2 by hand: a = 1.8, C = 16.2 / 19 = 0.852631…, W·μ = 1 + C / 0.2.
  EXPECT_NEAR(mmc_mean_response_in_service_times(2, 0.9), 1.0 + (16.2 / 19.0) / 0.2, 1e-12);
}

TEST(LbErlang, ErlangBAndCBasics) {
  EXPECT_DOUBLE_EQ(erlang_c(1, 0.7), 0.7);  // M/M/1: P(wait) = ρ
  EXPECT_NEAR(erlang_b(2, 1.0), 0.2, 1e-12);  // (1/2) / (1 + 1 + 1/2)
  for (int c : {1, 3, 10, 100}) {
    const double a = 0.8 * c;
    EXPECT_LE(erlang_b(c, a), erlang_c(c, a));
    EXPECT_LE(erlang_c(c, a), 1.0);
  }
  EXPECT_TRUE(std::isinf(mmc_mean_response_in_service_times(3, 1.0)));
}

// The response-time distribution: for c = 1 it is exponential with rate μ(1 − ρ); for any
// c, integrating P(T > t) gives back the Erlang C mean (an independent check of the
// survival function), the quantile inverts it, and θ = c(1 − ρ) = 1 is continuous.
TEST(LbErlang, ResponseTimeDistributionMatchesTheMeanAndInvertsToItsQuantiles) {
  for (double rho : {0.3, 0.9})
    for (double t : {0.5, 2.0, 10.0}) EXPECT_NEAR(mmc_response_survival(1, rho, t), std::exp(-(1 - rho) * t), 1e-12);
  EXPECT_NEAR(mmc_response_quantile(1, 0.9, 0.5), 10 * std::log(2.0), 1e-9);  // 6.93 service times
  EXPECT_NEAR(mmc_response_quantile(1, 0.9, 0.99), 10 * std::log(100.0), 1e-9);  // 46.1
  for (int c : {1, 2, 4, 16})
    for (double rho : {0.5, 0.9}) {
      double integral = 0, dt = 1e-3;  // trapezoid rule out to where P(T > t) < 1e-13
      for (double t = 0; mmc_response_survival(c, rho, t) > 1e-13; t += dt)
        integral += dt * 0.5 * (mmc_response_survival(c, rho, t) + mmc_response_survival(c, rho, t + dt));
      EXPECT_NEAR(integral, mmc_mean_response_in_service_times(c, rho), 1e-5) << "c=" << c << " rho=" << rho;
      for (double p : {0.5, 0.9, 0.99, 0.999})
        EXPECT_NEAR(mmc_response_survival(c, rho, mmc_response_quantile(c, rho, p)), 1 - p, 1e-10);
    }
  // c = 2, ρ = 0.5 makes θ = 1 exactly: the limit form agrees with its neighbours.
  EXPECT_NEAR(mmc_response_survival(2, 0.5, 3.0), mmc_response_survival(2, 0.5 + 1e-7, 3.0), 1e-6);
  EXPECT_TRUE(std::isinf(mmc_response_quantile(2, 1.0, 0.5)));
}

void expect_little(const QueueingResult& r) {
  // Two independent tallies: ∫N dt at every event, and Σ per-attempt sojourns.
  EXPECT_EQ(r.area_us2, r.sojourn_sum_us);
  EXPECT_NEAR(r.mean_in_system(), r.admitted_per_us() * r.mean_sojourn_us(), 1e-9 * (1 + r.mean_in_system()));
}

struct MmcCase {
  int workers;
  double expected;         // Erlang C, in service times
  std::uint64_t requests;  // run length
};

class LbQueueingErlangC : public ::testing::TestWithParam<MmcCase> {};

// Run length: a warm-up of 5 % then 30 batches; ρ = 0.9 makes M/M/1 the slowest to
// converge (relaxation time ~ 1/(1 − √ρ)²), so it gets the longest run.
TEST_P(LbQueueingErlangC, MeanResponseConvergesWithinBatchMeansInterval) {
  const MmcCase c = GetParam();
  QueueingDesc d;
  d.service.mean_us = kServiceUs;
  d.arrivals.rate_per_s = 0.9 * c.workers * 1e6 / kServiceUs;
  d.servers = {ServerDesc{.workers = c.workers}};
  d.requests = c.requests;
  d.warmup_requests = c.requests / 20;
  d.batch_size = (c.requests - d.warmup_requests) / 30;
  d.seed = 20261202 + static_cast<std::uint64_t>(c.workers);
  const QueueingResult r = run_queueing(d);
  ASSERT_GE(r.batch_means_us.size(), 30u);
  const double mean = mean_of(r.batch_means_us) / kServiceUs;
  const double half = batch_means_half_width_99(r.batch_means_us) / kServiceUs;
  RecordProperty("mean_in_service_times", std::to_string(mean));
  RecordProperty("half_width_99", std::to_string(half));
  EXPECT_NEAR(mean, c.expected, half) << "c=" << c.workers << " mean " << mean << " ± " << half;
  EXPECT_LT(half, 0.05 * c.expected) << "interval too wide to be a test";
  EXPECT_NEAR(r.mean_latency_us / kServiceUs, c.expected, half + 0.001);
  EXPECT_NEAR(r.utilisation(0, c.workers), 0.9, 0.01);
  EXPECT_EQ(r.succeeded, c.requests);
  expect_little(r);
}

INSTANTIATE_TEST_SUITE_P(LbRho09, LbQueueingErlangC,
                         ::testing::Values(MmcCase{1, 10.0, 4000000}, MmcCase{2, 1.0 + (16.2 / 19.0) / 0.2, 2000000},
                                           MmcCase{4, mmc_mean_response_in_service_times(4, 0.9), 1000000},
                                           MmcCase{8, mmc_mean_response_in_service_times(8, 0.9), 1000000},
                                           MmcCase{16, mmc_mean_response_in_service_times(16, 0.9), 1000000}),
                         [](const auto& info) { return "c" + std::to_string(info.param.workers); });

TEST(LbQueueing, SameSeedSameRunOtherSeedOtherRun) {
  QueueingDesc d;
  d.requests = 20000;
  d.service.kind = ServiceKind::kLogNormal;
  d.seed = 7;
  const auto a = run_queueing(d), b = run_queueing(d);
  EXPECT_EQ(a.end_us, b.end_us);
  EXPECT_EQ(a.area_us2, b.area_us2);
  EXPECT_EQ(a.latency_us.quantile(0.99), b.latency_us.quantile(0.99));
  d.seed = 8;
  EXPECT_NE(run_queueing(d).area_us2, a.area_us2);
}

TEST(LbQueueing, DeterministicServiceWithTraceArrivalsIsExact) {
  QueueingDesc d;
  d.arrivals.kind = ArrivalKind::kTrace;
  d.arrivals.trace_us = {0, 0, 0, 5000};
  d.service.kind = ServiceKind::kDeterministic;
  d.service.mean_us = 1000;
  const auto r = run_queueing(d);
  // Three at once on one worker: 1000, 2000, 3000; the fourth finds it idle: 1000.
  EXPECT_EQ(r.latency_us.count(), 4u);
  EXPECT_DOUBLE_EQ(r.mean_latency_us, (1000 + 2000 + 3000 + 1000) / 4.0);
  EXPECT_EQ(r.latency_us.max(), 3000u);
  EXPECT_EQ(r.end_us, 6000);
  EXPECT_EQ(r.servers[0].max_queue, 2u);
  expect_little(r);
}

TEST(LbQueueing, BoundedQueueRejectsAndRetriesCount) {
  QueueingDesc d;
  d.arrivals.kind = ArrivalKind::kTrace;
  d.arrivals.trace_us = {0, 0, 0, 0};
  d.service.kind = ServiceKind::kDeterministic;
  d.service.mean_us = 1000;
  d.servers = {ServerDesc{.workers = 1, .queue_limit = 1}};
  auto r = run_queueing(d);
  EXPECT_EQ(r.succeeded, 2u);
  EXPECT_EQ(r.failed, 2u);
  EXPECT_EQ(r.servers[0].rejected, 2u);
  // With one retry 5 ms later the rejected two get in.
  d.client.max_retries = 1;
  d.client.retry_backoff_us = 5000;
  r = run_queueing(d);
  EXPECT_EQ(r.succeeded, 4u);
  EXPECT_EQ(r.retries, 2u);
  EXPECT_EQ(r.latency_us.max(), 7000u);  // retried at 5000, second in line
  expect_little(r);
}

TEST(LbQueueing, TimeoutsAbandonWorkAndRetryStormAmplifiesLoad) {
  // ρ = 0.95 with a 1 s log-normal tail; a tight timeout plus three retries.
  QueueingDesc d;
  d.requests = 50000;
  d.service.kind = ServiceKind::kBimodal;
  d.service.mean_us = 1000;
  d.service.slow_fraction = 0.01;
  d.service.slow_us = 20000;
  d.arrivals.rate_per_s = 0.8e6 / service_mean_us(d.service);
  d.servers = {ServerDesc{.workers = 1}};
  d.seed = 3;
  const auto calm = run_queueing(d);
  EXPECT_EQ(calm.attempts, calm.requests);
  d.client.timeout_us = 5000;
  d.client.max_retries = 3;
  const auto storm = run_queueing(d);
  expect_little(storm);
  EXPECT_GT(storm.timed_out, 0u);
  EXPECT_GT(storm.wasted_work_us, 0);
  EXPECT_GT(storm.attempts, calm.attempts + calm.attempts / 10) << "retries add load";
  EXPECT_GT(storm.failed, 0u);
  EXPECT_EQ(storm.succeeded + storm.failed, storm.requests);
  // Dropping expired work at the server sheds the wasted load.
  d.client.server_drops_expired = true;
  const auto shed = run_queueing(d);
  expect_little(shed);
  EXPECT_LT(shed.wasted_work_us, storm.wasted_work_us);
  EXPECT_GT(shed.servers[0].dropped_expired, 0u);
}

TEST(LbQueueing, BurstyArrivalsKeepTheMeanRateButRaiseTheTail) {
  QueueingDesc d;
  d.requests = 200000;
  d.arrivals.rate_per_s = 600;  // ρ = 0.6 with 1 ms service
  d.seed = 11;
  const auto poisson = run_queueing(d);
  d.arrivals.kind = ArrivalKind::kBursty;
  const auto bursty = run_queueing(d);
  const double rate_poisson = poisson.requests / (poisson.end_us / 1e6);
  const double rate_bursty = bursty.requests / (bursty.end_us / 1e6);
  EXPECT_NEAR(rate_poisson, 600, 10);
  EXPECT_NEAR(rate_bursty, 600, 30);
  EXPECT_GT(bursty.latency_us.quantile(0.99), 2 * poisson.latency_us.quantile(0.99));
  expect_little(bursty);
}

TEST(LbQueueing, ServiceDistributionsHaveTheirMeans) {
  for (ServiceKind k : {ServiceKind::kExponential, ServiceKind::kDeterministic, ServiceKind::kLogNormal,
                        ServiceKind::kBimodal}) {
    QueueingDesc d;
    d.service.kind = k;
    d.service.slow_us = 50000;
    d.arrivals.rate_per_s = 1.0;  // no queueing: latency = service time
    d.requests = 100000;
    const auto r = run_queueing(d);
    EXPECT_NEAR(r.mean_latency_us / service_mean_us(d.service), 1.0, 0.03) << static_cast<int>(k);
  }
}

TEST(LbQueueing, PercentilesOfExponentialServiceMatchTheInverseCdf) {
  QueueingDesc d;
  d.arrivals.rate_per_s = 1.0;
  d.service.mean_us = kServiceUs;
  d.requests = 200000;
  const auto r = run_queueing(d);
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double expected = -kServiceUs * std::log(1 - q);
    EXPECT_NEAR(static_cast<double>(r.latency_us.quantile(q)) / expected, 1.0, q < 0.999 ? 0.03 : 0.08) << q;
  }
}

TEST(LbQueueing, PooledQueueBeatsSeparateQueuesAndTwoChoicesBeatRandom) {
  QueueingDesc d;
  d.requests = 200000;
  d.arrivals.rate_per_s = 0.9 * 4 * 1000;  // ρ = 0.9 over four 1 ms workers
  d.seed = 5;
  d.servers = {ServerDesc{.workers = 4}};
  const double pooled = run_queueing(d).mean_latency_us;
  d.servers.assign(4, ServerDesc{.workers = 1});
  d.dispatch = Dispatch::kRandom;
  const double random = run_queueing(d).mean_latency_us;
  d.dispatch = Dispatch::kPowerOfTwoChoices;
  const double two = run_queueing(d).mean_latency_us;
  d.dispatch = Dispatch::kLeastOutstanding;
  const double least = run_queueing(d).mean_latency_us;
  EXPECT_NEAR(random / 1000, 10.0, 1.5);  // random split = four M/M/1 at ρ = 0.9
  EXPECT_LT(two, random / 2);
  EXPECT_LT(least, two);
  EXPECT_LT(pooled, least);
  EXPECT_NEAR(pooled / 1000, mmc_mean_response_in_service_times(4, 0.9), 0.3);
}

TEST(LbQueueing, SlowServerUnderRoundRobinDominatesTheTail) {
  QueueingDesc d;
  d.requests = 100000;
  d.arrivals.rate_per_s = 1500;  // 4 servers, 1 ms: ρ = 0.375 if all were healthy
  d.servers.assign(4, ServerDesc{.workers = 1});
  d.servers[3].speed = 0.2;  // 5× slower: its ρ = 1.875 under round robin
  d.requests = 20000;
  d.seed = 9;
  const auto rr = run_queueing(d);
  d.dispatch = Dispatch::kLeastOutstanding;
  const auto least = run_queueing(d);
  EXPECT_GT(rr.latency_us.quantile(0.99), 20 * least.latency_us.quantile(0.99));
  EXPECT_LT(least.servers[3].completed, rr.servers[3].completed / 2);
}

}  // namespace
}  // namespace scalebook::sim::lb
