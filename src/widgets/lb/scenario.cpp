#include "widgets/lb/scenario.h"

// [SECTION] index: parameters · workload · one lane's event loop · reveal · summary and state

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <queue>

#include "sim/lb/envoy.h"
#include "sim/lb/erlang.h"
#include "sim/lb/nginx.h"
#include "widgets/units.h"

namespace scalebook::widgets::lb {

namespace {

std::string param_error(const std::string& name, const std::string& why) { return "parameter '" + name + "': " + why; }

struct AlgorithmName {
  Algorithm a;
  const char* name;
  const char* label;
};
constexpr AlgorithmName kAlgorithms[] = {
    {Algorithm::kRoundRobin, "round-robin", "round robin"},
    {Algorithm::kNginxSwrr, "nginx-swrr", "nginx weighted RR"},
    {Algorithm::kLeastConn, "least-conn", "nginx least_conn"},
    {Algorithm::kEnvoyP2c, "envoy-p2c", "Envoy two choices"},
    {Algorithm::kRandom, "random", "random"},
    {Algorithm::kIpHash, "ip-hash", "nginx ip_hash"},
};

std::int64_t round_us(double us) { return us <= 0.5 ? 1 : static_cast<std::int64_t>(us + 0.5); }

std::string ms_text(double us) {
  char b[32];
  const double ms = us / 1000.0;
  std::snprintf(b, sizeof b, ms >= 100 ? "%.0f ms" : ms >= 10 ? "%.1f ms" : "%.2f ms", ms);
  return b;
}

using units::thousands;

std::string fixed(double v, int digits) {
  char b[40];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

}  // namespace

bool parse_algorithm(const std::string& name, Algorithm& out) {
  for (const auto& a : kAlgorithms)
    if (name == a.name) {
      out = a.a;
      return true;
    }
  return false;
}
const char* algorithm_name(Algorithm a) { return kAlgorithms[static_cast<int>(a)].name; }
const char* algorithm_label(Algorithm a) { return kAlgorithms[static_cast<int>(a)].label; }

// [SECTION] parameters
std::string parse_weights(std::string_view w, std::vector<int>& out) {
  out.clear();
  std::size_t pos = 0;
  while (pos <= w.size()) {
    const std::size_t comma = std::min(w.find(',', pos), w.size());
    std::string item(w.substr(pos, comma - pos));
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (item.empty() || item.size() > 3 || item.find_first_not_of("0123456789") != std::string::npos || std::stoi(item) < 1 ||
        std::stoi(item) > 100)
      return "expected whole weights from 1 to 100 separated by commas (e.g. 5,1,1), got '" + item + "'";
    out.push_back(std::stoi(item));
    pos = comma + 1;
  }
  if (out.size() < 2 || out.size() > static_cast<std::size_t>(kMaxBackends))
    return "give one weight per backend, 2 to " + std::to_string(kMaxBackends) + " of them";
  return {};
}

std::string build_setup(const ParamMap& p, std::uint64_t seed, Setup& out) {
  out = {};
  Algorithm a{};
  if (!parse_algorithm(get_text(p, "algorithm"), a)) return param_error("algorithm", "unknown algorithm '" + get_text(p, "algorithm") + "'");
  out.algorithms.push_back(a);
  if (const std::string& c = get_text(p, "compare"); c != "none") {
    if (!parse_algorithm(c, a)) return param_error("compare", "unknown algorithm '" + c + "'");
    if (a == out.algorithms.front()) return param_error("compare", "'" + c + "' is already the algorithm; pick another or none");
    out.algorithms.push_back(a);
  }
  out.backends = static_cast<int>(get_int(p, "backends"));
  out.workers = static_cast<int>(get_int(p, "workers"));
  if (const std::string& w = get_text(p, "weights"); !w.empty()) {
    if (std::string e = parse_weights(w, out.weights); !e.empty()) return param_error("weights", e);
    out.backends = static_cast<int>(out.weights.size());
  } else {
    out.weights.assign(static_cast<std::size_t>(out.backends), 1);
  }
  out.slow_factor = get_double(p, "slow_backend");
  out.utilisation = get_double(p, "utilisation");
  out.ramp_to = get_double(p, "ramp_to");
  out.requests = static_cast<std::uint64_t>(get_int(p, "requests"));
  out.clients = static_cast<int>(get_int(p, "clients"));
  out.seed = seed;
  const double mean_us = get_double(p, "service_ms") * 1000.0;
  const std::string& dist = get_text(p, "service");
  slb::ServiceDesc& s = out.service;
  if (dist == "deterministic") s.kind = slb::ServiceKind::kDeterministic;
  else if (dist == "lognormal") s.kind = slb::ServiceKind::kLogNormal;
  else if (dist == "bimodal") s.kind = slb::ServiceKind::kBimodal;
  else if (dist == "exponential") s.kind = slb::ServiceKind::kExponential;
  else return param_error("service", "unknown distribution '" + dist + "'");
  s.mean_us = mean_us;
  s.log_sigma = 1.0;
  if (s.kind == slb::ServiceKind::kBimodal) {
    // 1 % of requests take 20× the common time; the overall mean stays service_ms.
    s.slow_fraction = 0.01;
    s.mean_us = mean_us / (0.99 + 0.01 * 20);
    s.slow_us = 20 * s.mean_us;
  }
  return {};
}

std::string check_model_params(const ParamMap& p) {
  Setup s;
  return build_setup(p, 1, s);
}

std::string check_params(const ParamMap& p) {
  if (std::string e = check_model_params(p); !e.empty()) return e;
  if (get_int(p, "requests") > kMaxWidgetRequests)
    return param_error("requests", "the widget runs at most " + thousands(kMaxWidgetRequests) + " requests (the command line takes more)");
  return {};
}

// [SECTION] workload
std::uint32_t client_address(std::uint32_t k) { return (10u << 24) | (((k >> 8) & 255u) << 16) | ((k & 255u) << 8) | 1u; }

Workload generate_workload(const Setup& s) {
  Workload w;
  const auto n = static_cast<std::size_t>(s.requests);
  w.arrival_us.reserve(n);
  w.demand_us.reserve(n);
  w.client_ipv4.reserve(n);
  sim::Rng gaps(s.seed), thin = sim::Rng(s.seed).split(1), service = sim::Rng(s.seed).split(2), clients = sim::Rng(s.seed).split(3);
  const double lo = s.arrival_rate_per_s(s.utilisation) / 1e6;
  const double hi = s.ramp_to > 0 ? s.arrival_rate_per_s(s.ramp_to) / 1e6 : lo;
  const double top = std::max(lo, hi);
  // The ramp spans the time the arrivals would take at the mean of the two rates.
  const double span_us = static_cast<double>(n) / ((lo + hi) / 2);
  double t = 0;
  while (w.arrival_us.size() < n) {
    t += gaps.exponential(1.0 / top);
    if (hi != lo) {
      const double rate = lo + (hi - lo) * std::min(1.0, t / span_us);
      if (thin.uniform01() * top >= rate) continue;  // thinning: accept with rate / top
    }
    w.arrival_us.push_back(static_cast<std::int64_t>(t + 0.5));
    w.demand_us.push_back(slb::sample_service_us(s.service, service));
    w.client_ipv4.push_back(client_address(static_cast<std::uint32_t>(clients.uniform_int(static_cast<std::uint64_t>(s.clients)))));
  }
  return w;
}

// [SECTION] one lane's event loop
namespace {

// One algorithm's picker over the backends, with the connection counts it reads.
class Picker {
 public:
  Picker(const Setup& s, Algorithm a) : a_(a), rr_(hosts(s)), p2c_hosts_(hosts(s)), p2c_(p2c_hosts_, s.seed ^ 0x5bd1e995u), random_(s.weights.size(), s.seed ^ 0x27d4eb2fu) {
    std::vector<slb::NginxServer> servers;
    for (std::size_t i = 0; i < s.weights.size(); ++i)
      servers.push_back({.name = std::string(1, static_cast<char>('a' + i)), .weight = s.weights[i], .max_fails = 0});
    const slb::NginxMethod m = a == Algorithm::kLeastConn ? slb::NginxMethod::kLeastConn
                               : a == Algorithm::kIpHash  ? slb::NginxMethod::kIpHash
                                                          : slb::NginxMethod::kRoundRobin;
    nginx_.emplace_back(std::move(servers), m);
  }
  int pick(std::uint32_t client, std::int64_t now_us) {
    switch (a_) {
      case Algorithm::kRoundRobin: return static_cast<int>(rr_.pick());
      case Algorithm::kEnvoyP2c: {
        const auto b = p2c_.pick();
        ++p2c_hosts_[b].active_requests;
        return static_cast<int>(b);
      }
      case Algorithm::kRandom: return static_cast<int>(random_.pick());
      default: {
        slb::NginxRequest req = nginx_[0].begin_request(client);
        return nginx_[0].pick(req, now_us);
      }
    }
  }
  void release(int b, std::int64_t now_us) {
    if (a_ == Algorithm::kEnvoyP2c) --p2c_hosts_[static_cast<std::size_t>(b)].active_requests;
    else if (a_ == Algorithm::kNginxSwrr || a_ == Algorithm::kLeastConn || a_ == Algorithm::kIpHash) nginx_[0].release(b, false, now_us);
  }

 private:
  static std::vector<slb::EnvoyHost> hosts(const Setup& s) {
    std::vector<slb::EnvoyHost> h;
    for (std::size_t i = 0; i < s.weights.size(); ++i)
      h.push_back({.address = "10.1.0." + std::to_string(i + 1) + ":80", .hostname = {}, .weight = static_cast<std::uint32_t>(s.weights[i])});
    return h;
  }
  Algorithm a_;
  slb::EnvoyRoundRobin rr_;
  std::vector<slb::EnvoyHost> p2c_hosts_;
  slb::EnvoyLeastRequest p2c_;  // holds a reference to p2c_hosts_ (declared before it)
  slb::EnvoyRandom random_;
  std::vector<slb::NginxUpstream> nginx_;  // one (no default constructor)
};

struct Departure {
  std::int64_t time_us;
  std::uint64_t order;
  std::uint32_t request;
  bool operator>(const Departure& o) const { return time_us > o.time_us || (time_us == o.time_us && order > o.order); }
};

}  // namespace

LaneRun simulate_lane(const Setup& s, Algorithm a, const Workload& w) {
  LaneRun out;
  const std::size_t n = w.arrival_us.size(), nb = s.weights.size();
  out.pick.resize(n);
  out.events.reserve(3 * n);
  Picker picker(s, a);
  std::vector<double> speed(nb, 1.0);
  speed[0] = 1.0 / s.slow_factor;
  std::vector<std::vector<std::uint32_t>> queue(nb);  // FIFO as vector + head
  std::vector<std::size_t> head(nb, 0);
  std::vector<int> busy(nb, 0);
  std::priority_queue<Departure, std::vector<Departure>, std::greater<>> departures;
  std::uint64_t order = 0;
  auto start = [&](std::uint32_t r, std::int64_t now) {
    const std::size_t b = out.pick[r];
    ++busy[b];
    departures.push({now + round_us(w.demand_us[r] / speed[b]), order++, r});
  };
  auto depart = [&]() {
    const Departure d = departures.top();
    departures.pop();
    const std::size_t b = out.pick[d.request];
    --busy[b];
    picker.release(static_cast<int>(b), d.time_us);
    out.events.push_back({d.time_us, d.time_us - w.arrival_us[d.request], static_cast<std::uint16_t>(b), Event::kDone});
    out.end_us = d.time_us;
    if (head[b] < queue[b].size()) {
      start(queue[b][head[b]++], d.time_us);
      out.events.push_back({d.time_us, 0, static_cast<std::uint16_t>(b), Event::kDequeued});
      if (head[b] > 4096 && head[b] * 2 > queue[b].size()) {  // compact the consumed front
        queue[b].erase(queue[b].begin(), queue[b].begin() + static_cast<std::ptrdiff_t>(head[b]));
        head[b] = 0;
      }
    }
  };
  for (std::uint32_t r = 0; r < n; ++r) {
    const std::int64_t now = w.arrival_us[r];
    while (!departures.empty() && departures.top().time_us <= now) depart();
    const int b = picker.pick(w.client_ipv4[r], now);
    out.pick[r] = static_cast<std::uint8_t>(b);
    if (busy[static_cast<std::size_t>(b)] < s.workers) {
      start(r, now);
      out.events.push_back({now, 0, static_cast<std::uint16_t>(b), Event::kStarted});
    } else {
      queue[static_cast<std::size_t>(b)].push_back(r);
      out.events.push_back({now, 0, static_cast<std::uint16_t>(b), Event::kQueued});
    }
  }
  while (!departures.empty()) depart();
  return out;
}

// [SECTION] reveal
double Lane::utilisation(std::size_t b, std::int64_t now_us, int workers) const {
  if (now_us <= 0) return 0;
  const BackendNow& k = backends[b];
  const double area = static_cast<double>(k.busy_area_us) + static_cast<double>(k.busy) * static_cast<double>(now_us - k.last_change_us);
  return area / (static_cast<double>(now_us) * workers);
}

void LbScenario::configure(const ParamMap& params, std::uint64_t seed) {
  *this = LbScenario();
  if (std::string e = build_setup(params, seed, setup_); !e.empty()) {
    error_ = e;
    return;
  }
  Workload w = generate_workload(setup_);
  arrivals_end_us_ = w.arrival_us.empty() ? 0 : w.arrival_us.back();
  for (Algorithm a : setup_.algorithms) {
    Lane& lane = lanes_.emplace_back();
    lane.algorithm = a;
    lane.run = simulate_lane(setup_, a, w);
    lane.backends.resize(setup_.weights.size());
    duration_us_ = std::max(duration_us_, lane.run.end_us);
  }
  arrivals_ = std::move(w.arrival_us);
  period_us_ = std::max<std::int64_t>(1, (duration_us_ + static_cast<std::int64_t>(kSamples) - 1) / static_cast<std::int64_t>(kSamples));
  for (Lane& lane : lanes_) {
    lane.p50_ms.push(0);
    lane.p99_ms.push(0);
  }
  samples_done_ = 1;
}

double LbScenario::sim_us_per_s() const { return duration_us_ > 0 ? static_cast<double>(duration_us_) / kPlaySeconds : 1e6; }

void LbScenario::apply(Lane& lane, const Event& e) {
  BackendNow& b = lane.backends[e.backend];
  b.busy_area_us += static_cast<std::int64_t>(b.busy) * (e.time_us - b.last_change_us);
  b.last_change_us = e.time_us;
  switch (e.kind) {
    case Event::kQueued:
      ++b.queued;
      ++b.picked;
      b.max_queue = std::max(b.max_queue, b.queued);
      lane.digest.add_byte(static_cast<std::uint8_t>(e.backend));
      break;
    case Event::kStarted:
      ++b.busy;
      ++b.picked;
      lane.digest.add_byte(static_cast<std::uint8_t>(e.backend));
      break;
    case Event::kDequeued:
      --b.queued;
      ++b.busy;
      break;
    case Event::kDone:
      --b.busy;
      ++b.completed;
      lane.latency_us.add(static_cast<std::uint64_t>(e.latency_us));
      lane.recent_done_us.push_back(e.time_us);
      lane.recent_latency_us.push_back(e.latency_us);
      break;
  }
}

// One chart point at `boundary_us`: p50 and p99 of the completions in the last kSmooth periods.
void LbScenario::sample(Lane& lane, std::int64_t boundary_us) {
  const std::int64_t from = boundary_us - static_cast<std::int64_t>(kSmooth) * period_us_;
  std::size_t drop = 0;
  while (drop < lane.recent_done_us.size() && lane.recent_done_us[drop] < from) ++drop;
  lane.recent_done_us.erase(lane.recent_done_us.begin(), lane.recent_done_us.begin() + static_cast<std::ptrdiff_t>(drop));
  lane.recent_latency_us.erase(lane.recent_latency_us.begin(), lane.recent_latency_us.begin() + static_cast<std::ptrdiff_t>(drop));
  if (lane.recent_latency_us.empty()) {
    lane.p50_ms.push(lane.p50_ms.latest());
    lane.p99_ms.push(lane.p99_ms.latest());
    return;
  }
  std::vector<std::int64_t> v = lane.recent_latency_us;
  auto at = [&](double q) {
    const std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - (q > 0 ? 1 : 0));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return static_cast<float>(static_cast<double>(v[k]) / 1000.0);
  };
  lane.p50_ms.push(at(0.5));
  lane.p99_ms.push(at(0.99));
}

void LbScenario::advance(std::int64_t dt_us) {
  if (!error_.empty()) return;
  time_us_ = std::min(duration_us_, time_us_ + std::max<std::int64_t>(0, dt_us));
  // Chart points at every period boundary reached (events strictly before it), then the rest.
  for (;;) {
    const auto boundary = static_cast<std::int64_t>(samples_done_) * period_us_;
    if (boundary > time_us_ || samples_done_ > kSamples) break;
    for (Lane& lane : lanes_) {
      while (lane.next_event < lane.run.events.size() && lane.run.events[lane.next_event].time_us < boundary)
        apply(lane, lane.run.events[lane.next_event++]);
      sample(lane, boundary);
    }
    ++samples_done_;
  }
  for (Lane& lane : lanes_)
    while (lane.next_event < lane.run.events.size() && lane.run.events[lane.next_event].time_us <= time_us_)
      apply(lane, lane.run.events[lane.next_event++]);
}

std::size_t LbScenario::requests_arrived() const {
  return static_cast<std::size_t>(std::upper_bound(arrivals_.begin(), arrivals_.end(), time_us_) - arrivals_.begin());
}

double LbScenario::pooled_mean_ms() const {
  const int c = setup_.backends * setup_.workers;
  return slb::mmc_mean_response_in_service_times(c, setup_.utilisation) * slb::service_mean_us(setup_.service) / 1000.0;
}
double LbScenario::separate_mean_ms() const {
  return slb::mmc_mean_response_in_service_times(setup_.workers, setup_.utilisation) * slb::service_mean_us(setup_.service) / 1000.0;
}

// [SECTION] summary and state
std::string LbScenario::summary() const {
  if (!error_.empty()) return "The balancer cannot run: " + error_ + ".";
  const bool done = time_us_ >= duration_us_;
  std::string o = done ? "After all " + thousands(setup_.requests) + " requests"
                       : "After " + thousands(requests_arrived()) + " of " + thousands(setup_.requests) + " requests";
  o += " at " + fixed(100 * setup_.utilisation, 0) + " % load on " + std::to_string(setup_.backends) + " backends";
  if (setup_.slow_factor > 1) o += " (backend a " + fixed(setup_.slow_factor, setup_.slow_factor == std::floor(setup_.slow_factor) ? 0 : 1) + "× slower)";
  o += ": ";
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const Lane& l = lanes_[i];
    o += (i ? "; " : "") + std::string(algorithm_label(l.algorithm)) + " p50 " +
         ms_text(static_cast<double>(l.latency_us.quantile(0.5))) + ", p99 " + ms_text(static_cast<double>(l.latency_us.quantile(0.99)));
  }
  o += ". One pooled queue (Erlang C) would average " + ms_text(1000 * pooled_mean_ms()) + ".";
  return o;
}

std::string LbScenario::state_json() const {
  std::string o = "{\"time_us\":" + std::to_string(time_us_) + ",\"duration_us\":" + std::to_string(duration_us_) +
                  ",\"arrived\":" + std::to_string(error_.empty() ? requests_arrived() : 0) +
                  ",\"requests\":" + std::to_string(setup_.requests) + ",\"erlang_c\":{\"pooled_mean_us\":" +
                  std::to_string(std::llround(1000 * pooled_mean_ms())) +
                  ",\"separate_mean_us\":" + std::to_string(std::llround(1000 * separate_mean_ms())) + "},\"lanes\":[";
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const Lane& l = lanes_[i];
    o += (i ? "," : "") + std::string("{\"algorithm\":\"") + algorithm_name(l.algorithm) +
         "\",\"completed\":" + std::to_string(l.latency_us.count()) + ",\"p50_us\":" + std::to_string(l.latency_us.quantile(0.5)) +
         ",\"p99_us\":" + std::to_string(l.latency_us.quantile(0.99)) + ",\"mean_us\":" + std::to_string(std::llround(l.latency_us.mean())) +
         ",\"backends\":[";
    for (std::size_t b = 0; b < l.backends.size(); ++b) {
      const BackendNow& k = l.backends[b];
      o += (b ? "," : "") + std::string("{\"picked\":") + std::to_string(k.picked) + ",\"completed\":" + std::to_string(k.completed) +
           ",\"queued\":" + std::to_string(k.queued) + ",\"busy\":" + std::to_string(k.busy) + ",\"max_queue\":" +
           std::to_string(k.max_queue) + ",\"utilisation_permille\":" + std::to_string(std::llround(1000 * l.utilisation(b, time_us_, setup_.workers))) + "}";
    }
    o += "],\"digest\":\"" + l.digest.hex() + "\"}";
  }
  return o + "]" + (error_.empty() ? "" : ",\"error\":true") + "}";
}

}  // namespace scalebook::widgets::lb

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_lb_scenario() { return std::make_unique<lb::LbScenario>(); }
}  // namespace scalebook::widgets
