// Scalebook — Envoy outlier detection (consecutive errors + ejection timing), modelled exactly.
//
// Source read: github.com/envoyproxy/envoy source/common/upstream/outlier_detection_impl.cc
// @ 00c7146d95ff67fc55c78f036d6236689b66e72f, outlier_detection_impl.h (defaults),
// test/common/upstream/outlier_detection_impl_test.cc (post-1.31 version, with always_eject_one_host),
// test/mocks/runtime/mocks.cc; api/envoy/config/cluster/v3/outlier_detection.proto docs.
// Written from the behaviour of that code; no code copied.
//
// WHAT IS MODELLED
//  * Per-host consecutive_5xx and consecutive_gateway_failure counters fed by HTTP status codes
//    (5xx = 500..599; gateway failure = 502, 503, 504). A gateway failure also counts as a 5xx;
//    any other 5xx resets only the gateway counter; a non-5xx resets both. Detection fires when a
//    counter becomes EQUAL to its threshold (so a counter that overshoots while the host is
//    already ejected never fires again until it is reset). The gateway check runs first.
//  * On detection: if the host is already ejected, nothing (counter NOT reset). Otherwise the
//    ejection is attempted and the counter of that type is reset, whatever the outcome.
//  * max_ejection_percent (current rule, Envoy >= 1.31): eject only if
//    100 * (active_ejections + 1) / hosts <= min(100, max_ejection_percent); with
//    always_eject_one_host, also when there are no active ejections. `legacy_pre_1_31_rule`
//    gives the older rule 100 * active / hosts < max (which always let the first host go).
//    Else `ejections_overflow` is counted. Hosts of all priorities count together.
//  * Enforcement (enforcing_consecutive_5xx default 100, enforcing_consecutive_gateway_failure
//    default 0) is Envoy's runtime featureEnabled(): a uniform 64-bit draw r, enforced iff
//    r % 100 < percent. One draw per attempted ejection (even at 0 or 100), then one more draw for
//    the jitter if enforced: jitter = (r % (max_ejection_time_jitter_ms + 1)) ms. The draws come
//    from an injected generator (default: std::mt19937_64 with a fixed seed).
//  * Ejection backoff: eject_time_backoff starts at 0; on each enforced ejection it is incremented
//    if backoff * base < max + base. A host is un-ejected by the interval timer when
//    min(base * backoff, max) + jitter <= now - last_ejection. At the end of every interval tick,
//    every non-ejected host that was un-ejected at least `interval` ago has backoff decremented
//    (if > 0). Un-ejection resets both consecutive counters.
//  * max_ejection_time defaults to max(300 s, base_ejection_time); a configured max below base is
//    rejected (std::invalid_argument), as Envoy rejects the config.
//  * Success-rate and failure-percentage ejection (external origin), on each tick after the
//    un-eject pass: each host's request/success counts over the last interval (two buckets
//    swapped at every tick; a request counts when its status is reported, success = non-5xx).
//    Skipped unless hosts >= success_rate_minimum_hosts or >= failure_percentage_minimum_hosts.
//    Success rate: hosts with volume >= success_rate_request_volume, at least
//    success_rate_minimum_hosts of them; threshold = mean - (stdev_factor/1000) * population stdev;
//    a host strictly below it is ejected (type SUCCESS_RATE, enforcing_success_rate).
//    Failure percentage: hosts with volume >= failure_percentage_request_volume, at least
//    failure_percentage_minimum_hosts of them; 100 - sr >= threshold ejects (enforcing default 0).
//    Envoy iterates hosts in hash-map order; we iterate by host index (this only matters when
//    max_ejection_percent or the random draws make the order visible). If a host is picked by
//    both detectors in one tick, Envoy would hit an ASSERT; we skip the second ejection.
//  * Stats: ejections_active, ejections_overflow, ejections_enforced_total, detected/enforced per
//    type, and the deprecated ejections_total / ejections_consecutive_5xx counters.
//
// WHAT IS NOT MODELLED
//  * Local-origin split mode (and its local-origin success-rate detector),
//    extension monitors, active-health-check un-ejection, runtime overrides, per-worker threads:
//    Envoy posts detections from workers to the main thread; here they are processed at once
//    (what Envoy's tests with a mock dispatcher do).
//  * The interval timer is not self-driving: call tick(now) when it fires (Envoy re-arms it
//    `interval` after each firing; run_timers_until() does that for you).
//
// DOCS vs CODE (we follow the code)
//  * The proto says max_ejection_percent "defaults to 10% but will eject at least one host
//    regardless of the value". Since 1.31 the code ejects none in a cluster of fewer than 10 hosts
//    at the default unless always_eject_one_host is set.
//  * The proto says ejection time = base_ejection_time x number of times ejected. The code uses
//    the backoff counter, which decays by one per healthy interval, not the lifetime count.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace scalebook::sim::breaker::envoy {

struct OutlierConfig {
  std::int64_t interval_us = 10'000'000;
  std::int64_t base_ejection_time_us = 30'000'000;
  std::optional<std::int64_t> max_ejection_time_us;  // default max(300 s, base)
  std::int64_t max_ejection_time_jitter_us = 0;
  std::uint32_t consecutive_5xx = 5;
  std::uint32_t consecutive_gateway_failure = 5;
  std::uint32_t max_ejection_percent = 10;
  bool always_eject_one_host = false;
  bool legacy_pre_1_31_rule = false;
  std::uint32_t enforcing_consecutive_5xx = 100;
  std::uint32_t enforcing_consecutive_gateway_failure = 0;
  // Statistical detectors (external origin only), evaluated on each interval tick.
  std::uint32_t success_rate_minimum_hosts = 5;
  std::uint32_t success_rate_request_volume = 100;
  std::uint32_t success_rate_stdev_factor = 1900;  // /1000
  std::uint32_t enforcing_success_rate = 100;
  std::uint32_t failure_percentage_threshold = 85;
  std::uint32_t failure_percentage_minimum_hosts = 5;
  std::uint32_t failure_percentage_request_volume = 50;
  std::uint32_t enforcing_failure_percentage = 0;
};

enum class EjectionType { kConsecutive5xx, kConsecutiveGatewayFailure, kSuccessRate, kFailurePercentage };
enum class HostState { kHealthy, kEjected };

inline const char* to_string(EjectionType t) {
  switch (t) {
    case EjectionType::kConsecutive5xx: return "CONSECUTIVE_5XX";
    case EjectionType::kConsecutiveGatewayFailure: return "CONSECUTIVE_GATEWAY_FAILURE";
    case EjectionType::kSuccessRate: return "SUCCESS_RATE";
    case EjectionType::kFailurePercentage: return "FAILURE_PERCENTAGE";
  }
  return "?";
}

// One per host state change (for a future widget).
struct HostTransition {
  std::int64_t time_us;
  int host;
  HostState from;
  HostState to;
  std::string reason;
};

// Every detection, including the ones not enforced or refused by max_ejection_percent.
struct Detection {
  std::int64_t time_us;
  int host;
  EjectionType type;
  bool overflow;        // refused by max_ejection_percent
  bool enforced;        // ejected
  std::int64_t ejection_duration_us;  // for enforced ejections: min(base*backoff, max) + jitter
};

struct OutlierStats {
  std::uint64_t ejections_active = 0;
  std::uint64_t ejections_overflow = 0;
  std::uint64_t ejections_enforced_total = 0;
  std::uint64_t ejections_detected_consecutive_5xx = 0;
  std::uint64_t ejections_enforced_consecutive_5xx = 0;
  std::uint64_t ejections_detected_consecutive_gateway_failure = 0;
  std::uint64_t ejections_enforced_consecutive_gateway_failure = 0;
  std::uint64_t ejections_detected_success_rate = 0;
  std::uint64_t ejections_enforced_success_rate = 0;
  std::uint64_t ejections_detected_failure_percentage = 0;
  std::uint64_t ejections_enforced_failure_percentage = 0;
  std::uint64_t ejections_total = 0;             // deprecated: 5xx/SR detections not overflowed
  std::uint64_t ejections_consecutive_5xx = 0;   // deprecated: 5xx detections processed
};

class OutlierDetector {
 public:
  using Random = std::function<std::uint64_t()>;

  OutlierDetector(OutlierConfig cfg, int hosts, std::int64_t now_us = 0, Random random = {})
      : cfg_(std::move(cfg)), random_(std::move(random)) {
    const std::int64_t dflt = std::max<std::int64_t>(300'000'000, cfg_.base_ejection_time_us);
    max_ejection_us_ = cfg_.max_ejection_time_us.value_or(dflt);
    if (max_ejection_us_ < cfg_.base_ejection_time_us)
      throw std::invalid_argument("max_ejection_time cannot be smaller than base_ejection_time");
    if (!random_) {
      random_ = [gen = std::mt19937_64(0x5CA1EB00C)]() mutable { return gen(); };
    }
    for (int i = 0; i < hosts; ++i) add_host();
    next_tick_us_ = now_us + cfg_.interval_us;
  }

  int add_host() {
    hosts_.push_back(Host{});
    ++present_;
    return static_cast<int>(hosts_.size()) - 1;
  }
  void remove_host(int h) {
    if (!valid(h)) return;
    if (hosts_[idx(h)].ejected) --stats_.ejections_active;
    hosts_[idx(h)].present = false;
    --present_;
  }

  // putHttpResponseCode().
  void on_response(int h, std::int64_t now_us, int status) {
    if (!valid(h)) return;
    Host& m = hosts_[idx(h)];
    ++m.sr_current_total;
    if (status >= 500 && status <= 599) {
      if (status == 502 || status == 503 || status == 504) {
        if (++m.consecutive_gateway_failure == cfg_.consecutive_gateway_failure)
          on_consecutive(h, now_us, EjectionType::kConsecutiveGatewayFailure);
      } else {
        m.consecutive_gateway_failure = 0;
      }
      if (++m.consecutive_5xx == cfg_.consecutive_5xx)
        on_consecutive(h, now_us, EjectionType::kConsecutive5xx);
    } else {
      ++m.sr_current_success;
      m.consecutive_5xx = 0;
      m.consecutive_gateway_failure = 0;
    }
  }

  // The interval timer firing at now_us (onIntervalTimer).
  void tick(std::int64_t now_us) {
    for (std::size_t i = 0; i < hosts_.size(); ++i) {
      Host& m = hosts_[i];
      if (!m.present || !m.ejected) continue;
      const std::int64_t d = current_ejection_us(m);
      if (d <= now_us - m.last_ejection_us) uneject(static_cast<int>(i), now_us, d);
    }
    for (auto& m : hosts_) {  // updateCurrentSuccessRateBucket: the last interval becomes readable
      m.sr_backup_total = m.sr_current_total;
      m.sr_backup_success = m.sr_current_success;
      m.sr_current_total = 0;
      m.sr_current_success = 0;
    }
    process_success_rate(now_us);
    for (auto& m : hosts_) {
      if (!m.present || m.ejected) continue;
      if (m.last_unejection_us && now_us - *m.last_unejection_us >= cfg_.interval_us &&
          m.eject_time_backoff != 0)
        --m.eject_time_backoff;
    }
    next_tick_us_ = now_us + cfg_.interval_us;
  }

  // Fire every interval tick due up to and including now_us.
  void run_timers_until(std::int64_t now_us) {
    while (next_tick_us_ <= now_us) tick(next_tick_us_);
  }
  std::int64_t next_tick_us() const { return next_tick_us_; }

  bool ejected(int h) const { return valid(h) && hosts_[idx(h)].ejected; }
  std::uint32_t num_ejections(int h) const { return hosts_[idx(h)].num_ejections; }
  std::uint32_t eject_time_backoff(int h) const { return hosts_[idx(h)].eject_time_backoff; }
  std::optional<std::int64_t> last_unejection_us(int h) const { return hosts_[idx(h)].last_unejection_us; }
  std::uint32_t consecutive_5xx(int h) const { return hosts_[idx(h)].consecutive_5xx; }
  std::uint32_t consecutive_gateway_failure(int h) const { return hosts_[idx(h)].consecutive_gateway_failure; }
  const OutlierStats& stats() const { return stats_; }
  const std::vector<HostTransition>& transitions() const { return transitions_; }
  const std::vector<Detection>& detections() const { return detections_; }
  std::int64_t max_ejection_time_us() const { return max_ejection_us_; }
  // Last tick's success-rate mean and ejection threshold (-1 when not computed).
  double success_rate_average() const { return last_sr_mean_; }
  double host_success_rate(int h) const { return hosts_[idx(h)].success_rate; }
  double success_rate_ejection_threshold() const { return last_sr_threshold_; }
  const OutlierConfig& config() const { return cfg_; }

 private:
  struct Host {
    bool present = true;
    bool ejected = false;
    std::uint32_t consecutive_5xx = 0;
    std::uint32_t consecutive_gateway_failure = 0;
    std::uint32_t num_ejections = 0;
    std::uint32_t eject_time_backoff = 0;
    std::int64_t last_ejection_us = 0;
    std::optional<std::int64_t> last_unejection_us;
    std::int64_t jitter_us = 0;
    std::uint64_t sr_current_total = 0, sr_current_success = 0;
    std::uint64_t sr_backup_total = 0, sr_backup_success = 0;
    double success_rate = -1;  // as shown on /clusters; -1 when not computed
  };

  void process_success_rate(std::int64_t now_us) {
    last_sr_mean_ = -1;
    last_sr_threshold_ = -1;
    for (auto& m : hosts_) m.success_rate = -1;
    if (present_ < cfg_.success_rate_minimum_hosts && present_ < cfg_.failure_percentage_minimum_hosts)
      return;
    struct Pair { int host; double sr; };
    std::vector<Pair> sr_hosts, fp_hosts;
    double sum = 0;
    for (std::size_t i = 0; i < hosts_.size(); ++i) {
      const Host& m = hosts_[i];
      if (!m.present || m.ejected || m.sr_backup_total == 0) continue;
      const double sr = static_cast<double>(m.sr_backup_success) * 100.0 / static_cast<double>(m.sr_backup_total);
      if (m.sr_backup_total >= std::min(cfg_.success_rate_request_volume, cfg_.failure_percentage_request_volume))
        hosts_[i].success_rate = sr;
      if (m.sr_backup_total >= cfg_.success_rate_request_volume) { sr_hosts.push_back({static_cast<int>(i), sr}); sum += sr; }
      if (m.sr_backup_total >= cfg_.failure_percentage_request_volume) fp_hosts.push_back({static_cast<int>(i), sr});
    }
    if (!sr_hosts.empty() && sr_hosts.size() >= cfg_.success_rate_minimum_hosts) {
      const double n = static_cast<double>(sr_hosts.size());
      const double mean = sum / n;
      double var = 0;
      for (const auto& p : sr_hosts) var += (p.sr - mean) * (p.sr - mean);
      var /= n;
      const double threshold = mean - (cfg_.success_rate_stdev_factor / 1000.0) * std::sqrt(var);
      last_sr_mean_ = mean;
      last_sr_threshold_ = threshold;
      for (const auto& p : sr_hosts) {
        if (p.sr < threshold) {
          ++stats_.ejections_detected_success_rate;
          eject(p.host, now_us, EjectionType::kSuccessRate);
        }
      }
    }
    if (!fp_hosts.empty() && fp_hosts.size() >= cfg_.failure_percentage_minimum_hosts) {
      for (const auto& p : fp_hosts) {
        if (100.0 - p.sr >= cfg_.failure_percentage_threshold) {
          ++stats_.ejections_detected_failure_percentage;
          if (hosts_[idx(p.host)].ejected) continue;  // Envoy would ASSERT here; see header
          eject(p.host, now_us, EjectionType::kFailurePercentage);
        }
      }
    }
  }

  static std::size_t idx(int h) { return static_cast<std::size_t>(h); }
  bool valid(int h) const { return h >= 0 && idx(h) < hosts_.size() && hosts_[idx(h)].present; }

  std::int64_t current_ejection_us(const Host& m) const {
    return std::min<std::int64_t>(cfg_.base_ejection_time_us * m.eject_time_backoff, max_ejection_us_) +
           m.jitter_us;
  }

  bool feature_enabled(std::uint32_t percent) { return random_() % 100 < percent; }

  void on_consecutive(int h, std::int64_t now_us, EjectionType type) {
    Host& m = hosts_[idx(h)];
    if (m.ejected) return;
    if (type == EjectionType::kConsecutive5xx) ++stats_.ejections_detected_consecutive_5xx;
    else ++stats_.ejections_detected_consecutive_gateway_failure;
    eject(h, now_us, type);
    if (type == EjectionType::kConsecutive5xx) {
      ++stats_.ejections_consecutive_5xx;
      m.consecutive_5xx = 0;
    } else {
      m.consecutive_gateway_failure = 0;
    }
  }

  void eject(int h, std::int64_t now_us, EjectionType type) {
    const double max_pct = std::min<std::uint32_t>(100, cfg_.max_ejection_percent);
    const double n = static_cast<double>(present_);
    const double active = static_cast<double>(stats_.ejections_active);
    bool should;
    if (cfg_.legacy_pre_1_31_rule) {
      should = 100.0 * active / n < max_pct;
    } else {
      should = 100.0 * (active + 1) / n <= max_pct;
      if (cfg_.always_eject_one_host) should = stats_.ejections_active == 0 || should;
    }
    if (!should) {
      ++stats_.ejections_overflow;
      detections_.push_back({now_us, h, type, true, false, 0});
      return;
    }
    if (type == EjectionType::kConsecutive5xx || type == EjectionType::kSuccessRate) ++stats_.ejections_total;
    std::uint32_t pct = 0;
    switch (type) {
      case EjectionType::kConsecutive5xx: pct = cfg_.enforcing_consecutive_5xx; break;
      case EjectionType::kConsecutiveGatewayFailure: pct = cfg_.enforcing_consecutive_gateway_failure; break;
      case EjectionType::kSuccessRate: pct = cfg_.enforcing_success_rate; break;
      case EjectionType::kFailurePercentage: pct = cfg_.enforcing_failure_percentage; break;
    }
    if (!feature_enabled(pct)) {
      detections_.push_back({now_us, h, type, false, false, 0});
      return;
    }
    Host& m = hosts_[idx(h)];
    ++stats_.ejections_active;
    ++stats_.ejections_enforced_total;
    switch (type) {
      case EjectionType::kConsecutive5xx: ++stats_.ejections_enforced_consecutive_5xx; break;
      case EjectionType::kConsecutiveGatewayFailure: ++stats_.ejections_enforced_consecutive_gateway_failure; break;
      case EjectionType::kSuccessRate: ++stats_.ejections_enforced_success_rate; break;
      case EjectionType::kFailurePercentage: ++stats_.ejections_enforced_failure_percentage; break;
    }
    m.ejected = true;
    ++m.num_ejections;
    m.last_ejection_us = now_us;
    const std::uint64_t jitter_ms = static_cast<std::uint64_t>(cfg_.max_ejection_time_jitter_us / 1000);
    m.jitter_us = static_cast<std::int64_t>(random_() % (jitter_ms + 1)) * 1000;
    if (cfg_.base_ejection_time_us * m.eject_time_backoff < max_ejection_us_ + cfg_.base_ejection_time_us)
      ++m.eject_time_backoff;
    const std::int64_t d = current_ejection_us(m);
    detections_.push_back({now_us, h, type, false, true, d});
    transitions_.push_back({now_us, h, HostState::kHealthy, HostState::kEjected,
                            std::string(to_string(type)) + ", ejection #" + std::to_string(m.num_ejections) +
                                ", backoff " + std::to_string(m.eject_time_backoff) + ", for " +
                                std::to_string(d) + " us"});
  }

  void uneject(int h, std::int64_t now_us, std::int64_t served_us) {
    Host& m = hosts_[idx(h)];
    --stats_.ejections_active;
    m.ejected = false;
    m.consecutive_5xx = 0;
    m.consecutive_gateway_failure = 0;
    m.last_unejection_us = now_us;
    transitions_.push_back({now_us, h, HostState::kEjected, HostState::kHealthy,
                            "interval tick: ejection time " + std::to_string(served_us) + " us served"});
  }

  OutlierConfig cfg_;
  Random random_;
  std::int64_t max_ejection_us_ = 0;
  std::vector<Host> hosts_;
  std::size_t present_ = 0;
  std::int64_t next_tick_us_ = 0;
  OutlierStats stats_;
  std::vector<HostTransition> transitions_;
  std::vector<Detection> detections_;
  double last_sr_mean_ = -1;
  double last_sr_threshold_ = -1;
};

}  // namespace scalebook::sim::breaker::envoy
