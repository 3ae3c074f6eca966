// stampede.cpp — the discrete-event run behind stampede.h.
//
// [SECTION] run state      one key's cache entry, readers, queries, buckets
// [SECTION] reads          one reader's cache operation, per strategy
// [SECTION] database       query start / completion, and what a result does
// [SECTION] run_stampede   the event loop
#include "sim/cache/stampede.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "sim/cache/meta_lease.h"
#include "sim/core/event_queue.h"
#include "sim/core/portable_math.h"
#include "sim/core/rng.h"

namespace scalebook::sim::cache {

std::string_view strategy_name(StampedeDesc::Strategy s) {
  switch (s) {
    case StampedeDesc::Strategy::None: return "none";
    case StampedeDesc::Strategy::Lease: return "lease";
    case StampedeDesc::Strategy::Coalesce: return "coalesce";
    case StampedeDesc::Strategy::StaleWhileRevalidate: return "swr";
    case StampedeDesc::Strategy::XFetch: return "xfetch";
  }
  return "?";
}

std::int64_t StampedeResult::latency_percentile_us(double q) const {
  if (latencies_us.empty()) return 0;
  const double n = static_cast<double>(latencies_us.size());
  double rank = std::ceil(q / 100.0 * n);
  rank = std::clamp(rank, 1.0, n);
  return latencies_us[static_cast<std::size_t>(rank) - 1];
}

namespace {

using Strategy = StampedeDesc::Strategy;
constexpr std::uint32_t kNoReader = std::numeric_limits<std::uint32_t>::max();
const std::string kKey = "hot";

// [SECTION] run state
struct Entry {  // the key in a plain cache (every strategy but Lease)
  bool present = false;
  bool stale = false;            // SWR: marked stale by a write
  bool observed_expired = false; // counted in `expiries` already
  bool triggered = false;        // XFetch: a read recomputed early on this value
  std::int64_t expiry_us = 0, hard_expiry_us = 0, delta_us = 0;
  std::uint64_t gen = 0;
};
struct Reader {
  std::int64_t arrival_us = 0;
  int server = 0;
};
struct Query {
  std::int64_t start_us = 0;
  std::uint64_t gen = 0;
  std::uint32_t reader = kNoReader;  // kNoReader: a coalesced flight or an SWR refresh
  int server = 0;
  std::uint64_t lease_cas = 0;
};
enum class Kind : std::uint8_t { Arrival, Read, DbStart, DbDone, Write };
struct Ev {
  Kind kind;
  std::uint32_t id;
};

class Run {
 public:
  explicit Run(const StampedeDesc& d)
      : d_(d),
        arrivals_(Rng(d.seed).split(1)),
        db_rng_(Rng(d.seed).split(2)),
        server_rng_(Rng(d.seed).split(3)),
        xfetch_rng_(Rng(d.seed).split(4)) {
    d_.servers = std::max(d_.servers, 1);
    d_.bucket_us = std::max<std::int64_t>(d_.bucket_us, 1);
    ttl_s_ = static_cast<std::int32_t>((std::max<std::int64_t>(d_.ttl_us, 1) + 999'999) / 1'000'000);
    flight_.assign(static_cast<std::size_t>(d_.servers), false);
    waiters_.resize(static_cast<std::size_t>(d_.servers));
  }

  StampedeResult run() {
    // The key is cached at t = 0 (its delta: the nominal query time).
    if (d_.strategy == Strategy::Lease) {
      meta_.ms(kKey, std::to_string(db_gen_), 0, {.ttl = ttl_s_});
      ++res_.versions;
    } else {
      store(0, db_gen_, d_.db_latency_us);
      --res_.sets;  // the initial value is not a set by a reader
    }
    if (d_.arrival_rate_per_s > 0) schedule_arrival();
    if (d_.write_every_us > 0 && d_.write_every_us < d_.duration_us) q_.push(d_.write_every_us, {Kind::Write, 0});
    while (!q_.empty()) {
      auto e = q_.pop();
      const std::int64_t now = e.time_us;
      bucket(now);
      switch (e.payload.kind) {
        case Kind::Arrival: arrive(now); break;
        case Kind::Read: read(e.payload.id, now); break;
        case Kind::DbStart: db_start(e.payload.id, now); break;
        case Kind::DbDone: db_done(e.payload.id, now); break;
        case Kind::Write: write(now); break;
      }
    }
    std::sort(res_.latencies_us.begin(), res_.latencies_us.end());
    for (const auto& b : res_.buckets) {
      const auto s = static_cast<std::size_t>(b.start_us / 1'000'000);
      if (res_.queries_per_second.size() <= s) res_.queries_per_second.resize(s + 1, 0);
      res_.queries_per_second[s] += b.queries_started;
    }
    return std::move(res_);
  }

 private:
  StampedeBucket& bucket(std::int64_t t) {
    const auto i = static_cast<std::size_t>(t / d_.bucket_us);
    while (res_.buckets.size() <= i) {
      StampedeBucket b;
      b.start_us = static_cast<std::int64_t>(res_.buckets.size()) * d_.bucket_us;
      b.max_in_flight = in_flight_;
      res_.buckets.push_back(b);
    }
    return res_.buckets[i];
  }

  void schedule_arrival() {
    next_arrival_ += arrivals_.exponential(1e6 / d_.arrival_rate_per_s);
    const auto t = static_cast<std::int64_t>(next_arrival_);
    if (t < d_.duration_us) q_.push(t, {Kind::Arrival, 0});
  }

  void finish(std::uint32_t r, std::int64_t done_us, std::uint64_t gen, bool stale) {
    ++res_.reads;
    if (gen < db_gen_) ++res_.outdated_reads;
    auto& b = bucket(done_us);
    ++b.reads;
    if (stale) {
      ++res_.stale_reads;
      ++b.stale_reads;
    }
    res_.latencies_us.push_back(done_us - readers_[r].arrival_us);
  }
  void hit(std::uint32_t r, std::int64_t now, std::uint64_t gen) {
    ++res_.hits;
    finish(r, now + d_.cache_rtt_us, gen, false);
  }

  // [SECTION] reads
  void arrive(std::int64_t now) {
    const auto r = static_cast<std::uint32_t>(readers_.size());
    readers_.push_back({now, static_cast<int>(server_rng_.uniform_int(static_cast<std::uint64_t>(d_.servers)))});
    schedule_arrival();
    read(r, now);
  }

  bool fresh(std::int64_t now) const { return e_.present && !e_.stale && now < e_.expiry_us; }
  void observe_expiry(std::int64_t now) {
    if (e_.present && !e_.observed_expired && now >= e_.expiry_us) {
      e_.observed_expired = true;
      ++res_.expiries;
    }
  }
  void query(std::uint32_t reader, int server, std::int64_t at, std::uint64_t lease_cas = 0) {
    const auto id = static_cast<std::uint32_t>(queries_.size());
    queries_.push_back({at, 0, reader, server, lease_cas});
    q_.push(at, {Kind::DbStart, id});
  }

  void read(std::uint32_t r, std::int64_t now) {
    const int s = readers_[r].server;
    const std::int64_t reply = now + d_.cache_rtt_us;
    switch (d_.strategy) {
      case Strategy::Lease: return read_lease(r, now);
      case Strategy::None:
        if (fresh(now)) return hit(r, now, e_.gen);
        observe_expiry(now);
        return query(r, s, reply);
      case Strategy::Coalesce: {
        if (fresh(now)) return hit(r, now, e_.gen);
        observe_expiry(now);
        auto si = static_cast<std::size_t>(s);
        waiters_[si].push_back(r);
        if (!flight_[si]) {
          flight_[si] = true;
          query(kNoReader, s, reply);
        }
        return;
      }
      case Strategy::StaleWhileRevalidate: {
        if (fresh(now)) return hit(r, now, e_.gen);
        observe_expiry(now);
        if (e_.present && now < e_.hard_expiry_us) {
          finish(r, reply, e_.gen, true);
          auto si = static_cast<std::size_t>(s);
          if (!flight_[si]) {
            flight_[si] = true;
            query(kNoReader, s, reply);
          }
          return;
        }
        return query(r, s, reply);
      }
      case Strategy::XFetch: {
        if (fresh(now)) {
          const double early = -static_cast<double>(e_.delta_us) * d_.xfetch_beta * plog(xfetch_rng_.uniform01_open_low());
          if (static_cast<double>(now) + early >= static_cast<double>(e_.expiry_us)) {
            ++res_.early_recomputes;
            if (!e_.triggered) {
              e_.triggered = true;
              ++res_.versions_triggered;
            }
            return query(r, s, reply);
          }
          return hit(r, now, e_.gen);
        }
        observe_expiry(now);
        return query(r, s, reply);
      }
    }
  }

  // mg <key> c v N<lease_ttl_s>, and what a client does with the flags.
  void read_lease(std::uint32_t r, std::int64_t now) {
    const std::int64_t now_s = now / 1'000'000;
    const std::int64_t reply = now + d_.cache_rtt_us;
    const auto m = meta_.mg(kKey, now_s, {.vivify_ttl = d_.lease_ttl_s});
    if (m.win) {
      if (!m.stale) ++res_.expiries;  // the item was missing: vivified
      return query(r, readers_[r].server, reply, m.cas);
    }
    if (m.value.empty()) {  // the empty vivified item (Z, with or without X): wait, retry
      ++res_.lease_retries;
      q_.push(reply + d_.lease_retry_us, {Kind::Read, r});
      return;
    }
    const std::uint64_t gen = std::stoull(m.value);
    if (m.stale) return finish(r, reply, gen, true);  // X Z: take the stale value
    hit(r, now, gen);
  }

  // [SECTION] database
  void db_start(std::uint32_t id, std::int64_t now) {
    Query& qu = queries_[id];
    qu.start_us = now;
    qu.gen = db_gen_;
    double t = static_cast<double>(d_.db_latency_us);
    if (d_.db_jitter_mean_us > 0) t += db_rng_.exponential(static_cast<double>(d_.db_jitter_mean_us));
    t *= 1.0 + d_.db_load_factor * static_cast<double>(in_flight_);
    ++in_flight_;
    ++res_.db_queries;
    auto& b = bucket(now);
    ++b.queries_started;
    b.max_in_flight = std::max(b.max_in_flight, in_flight_);
    res_.peak_in_flight = std::max(res_.peak_in_flight, in_flight_);
    q_.push(now + std::max<std::int64_t>(static_cast<std::int64_t>(t + 0.5), 1), {Kind::DbDone, id});
  }

  void store(std::int64_t now, std::uint64_t gen, std::int64_t delta_us) {
    e_ = Entry{};
    e_.present = true;
    e_.expiry_us = now + d_.ttl_us;
    e_.hard_expiry_us = e_.expiry_us + d_.stale_window_us;
    e_.gen = gen;
    e_.delta_us = delta_us;
    ++res_.sets;
    ++res_.versions;
  }

  void db_done(std::uint32_t id, std::int64_t now) {
    --in_flight_;
    const Query qu = queries_[id];
    const bool outdated = qu.gen < db_gen_;
    if (d_.strategy == Strategy::Lease) {
      const auto m = meta_.ms(kKey, std::to_string(qu.gen), now / 1'000'000, {.ttl = ttl_s_, .cas = qu.lease_cas});
      if (m.status == MetaLease::Status::Stored) {
        ++res_.sets;
        ++res_.versions;
        if (outdated) ++res_.stale_sets;
      } else {
        ++res_.refused_sets;
      }
    } else {
      store(now, qu.gen, now - qu.start_us);
      if (outdated) ++res_.stale_sets;
    }
    if (qu.reader != kNoReader) finish(qu.reader, now, qu.gen, false);
    if (qu.reader == kNoReader) {
      const auto si = static_cast<std::size_t>(qu.server);
      flight_[si] = false;
      for (auto w : waiters_[si]) finish(w, now, qu.gen, false);
      waiters_[si].clear();
    }
  }

  void write(std::int64_t now) {
    ++db_gen_;
    switch (d_.strategy) {
      case Strategy::Lease:
        if (meta_.md(kKey, now / 1'000'000, {.invalidate = true}).status == MetaLease::Status::Stored) ++res_.invalidations;
        break;
      case Strategy::StaleWhileRevalidate:
        if (e_.present && now < e_.hard_expiry_us) {
          e_.stale = true;
          ++res_.invalidations;
        }
        break;
      default:
        if (e_.present) {
          e_.present = false;
          ++res_.invalidations;
        }
        break;
    }
    if (now + d_.write_every_us < d_.duration_us) q_.push(now + d_.write_every_us, {Kind::Write, 0});
  }

  StampedeDesc d_;
  Rng arrivals_, db_rng_, server_rng_, xfetch_rng_;
  EventQueue<Ev> q_;
  MetaLease meta_;
  Entry e_;
  std::int32_t ttl_s_ = 1;
  std::uint64_t db_gen_ = 0;
  std::uint32_t in_flight_ = 0;
  double next_arrival_ = 0.0;
  std::vector<Reader> readers_;
  std::vector<Query> queries_;
  std::vector<bool> flight_;  // Coalesce: a query in flight per server; SWR: a refresh in flight
  std::vector<std::vector<std::uint32_t>> waiters_;
  StampedeResult res_;
};

}  // namespace

StampedeResult run_stampede(const StampedeDesc& d) { return Run(d).run(); }

}  // namespace scalebook::sim::cache
