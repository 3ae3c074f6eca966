// stampede.h — a hot key expiring under many readers (the "thundering herd" /
// "dog-pile"), and five ways to meet it. Issue #15 item 7.
//
// Sources: Nishtala et al., "Scaling Memcache at Facebook", NSDI 2013, §3.2.1
// (leases: one token per key between a miss and its set; a set whose token was
// invalidated by a delete is refused; others wait a short time and retry, or
// take a stale value); memcached's meta protocol (doc/protocol.txt and
// proto_text.c at 1.6.18, modelled exactly in meta_lease.h); Vattani, Chierichetti,
// Lowenstein, "Optimal Probabilistic Cache Stampede Prevention", VLDB 2015
// (XFetch). Our own code.
//
// Models (one key, virtual time in µs, a discrete-event run over
// scalebook::sim::EventQueue, all randomness from one seeded Rng split into
// streams — same Desc, same result, natively and in Wasm):
//  * Readers arrive as a Poisson stream (arrival_rate_per_s), each on one of
//    `servers` application servers chosen uniformly. A cache operation takes
//    effect when it is issued; its reply reaches the reader cache_rtt_us later.
//    A hit's latency is one cache_rtt_us.
//  * The database: a query issued at t (after the miss's reply) reads the
//    row's current generation at t and returns after db_latency_us plus an
//    exponential extra (mean db_jitter_mean_us), times (1 + db_load_factor ×
//    queries already in flight). Its result is written to the cache the moment
//    it returns (the set's own round trip is not charged) and the reader is
//    answered then: a miss costs cache_rtt_us + the query time.
//  * The key starts cached at t = 0 with TTL ttl_us. Optional writes every
//    write_every_us bump the row's generation and invalidate the key (delete;
//    mark stale for SWR; `md <key> I` for leases).
//  * Strategies:
//    - None: every miss queries the database.
//    - Lease: the cache is a MetaLease (memcached's mg/ms/md rules). A reader
//      sends `mg <key> c v N<lease_ttl_s>`; W → it queries, then `ms <key>
//      T<ttl> C<cas of its mg>` (EX = refused: counted, nothing stored, the
//      reader still gets its value); Z on an empty value (the vivified item,
//      stale or not) → it retries after lease_retry_us; X Z on a value → it
//      takes the stale value. The
//      lease clock is memcached's: whole seconds (ttl_us is rounded up to whole
//      seconds; the value expires on a second boundary).
//    - Coalesce: single-flight per (server, key): the first miss on a server
//      queries, later misses on that server wait for the same result.
//    - StaleWhileRevalidate: after ttl_us the value is stale for
//      stale_window_us more; a read then gets the stale value at once and, if
//      its server has no refresh in flight, starts one in the background. After
//      the stale window the value is gone and misses behave as None.
//    - XFetch: a read of a fresh value at t recomputes (synchronously, like a
//      miss, while the old value stays served to others) when
//      t − delta·beta·ln(u) ≥ expiry, u uniform in (0, 1], delta the query
//      time that produced the cached value (the initial value: db_latency_us).
//      So a read with r µs of TTL left triggers with probability
//      exp(−r / (delta·beta)). An expired value behaves as None.
// Output: DB queries started and peak in flight per bucket_us bucket and per
// second, read latency percentiles (of every reader, including stale and
// waiting ones), stale reads (X in leases, the SWR window), outdated reads
// (a value older than the row), stale sets (a value read from the database
// before the latest write, then cached), refused sets (leases' EX), expiries
// observed, and per-version early-recompute counts (XFetch).
// Invariants: every query's result is offered to the cache, so db_queries =
// sets + refused_sets (refusals only under leases); with leases and no writes,
// and queries faster than lease_ttl_s, exactly one query per expiry; leases
// never cache an outdated value (stale_sets = 0).
// Does NOT model: more than one key, cache memory / eviction, network loss or
// timeouts, the set's round trip, a client giving up (every reader is served
// eventually), memcached's R flag (early recache) as a strategy, database
// queueing beyond the load factor.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace scalebook::sim::cache {

struct StampedeDesc {
  enum class Strategy : std::uint8_t { None, Lease, Coalesce, StaleWhileRevalidate, XFetch };
  Strategy strategy = Strategy::None;
  double arrival_rate_per_s = 1000.0;
  std::int64_t duration_us = 10'000'000;     // arrivals stop here; in-flight work drains
  std::int64_t ttl_us = 2'000'000;
  std::int64_t db_latency_us = 50'000;       // fixed part of a query
  std::int64_t db_jitter_mean_us = 0;        // exponential extra, mean
  double db_load_factor = 0.0;               // × (1 + f · queries in flight)
  std::int64_t cache_rtt_us = 500;
  int servers = 1;                           // application servers
  std::int32_t lease_ttl_s = 10;             // Lease: mg N<lease_ttl_s>
  std::int64_t lease_retry_us = 10'000;      // Lease: Z → retry after
  std::int64_t stale_window_us = 10'000'000; // StaleWhileRevalidate
  double xfetch_beta = 1.0;                  // XFetch
  std::int64_t write_every_us = 0;           // 0 = the row never changes
  std::int64_t bucket_us = 100'000;
  std::uint64_t seed = 1;
};

struct StampedeBucket {
  std::int64_t start_us = 0;
  std::uint32_t queries_started = 0;
  std::uint32_t max_in_flight = 0;
  std::uint32_t reads = 0;
  std::uint32_t stale_reads = 0;
};

struct StampedeResult {
  std::uint64_t reads = 0, hits = 0, stale_reads = 0, outdated_reads = 0;
  std::uint64_t db_queries = 0, early_recomputes = 0;
  std::uint64_t sets = 0, refused_sets = 0, stale_sets = 0;
  std::uint64_t lease_retries = 0;   // Lease: mg repeated after Z
  std::uint64_t expiries = 0;        // a cached value found expired (once per value)
  std::uint64_t invalidations = 0;   // writes that found the key cached
  std::uint64_t versions = 0;        // values stored (each starts a tenure)
  std::uint64_t versions_triggered = 0;  // XFetch: values on which ≥1 read recomputed early
  std::uint32_t peak_in_flight = 0;
  std::vector<StampedeBucket> buckets;
  std::vector<std::uint32_t> queries_per_second;
  std::vector<std::int64_t> latencies_us;  // sorted ascending
  // Nearest-rank percentile of latencies_us, q in [0, 100]; 0 if no reads.
  std::int64_t latency_percentile_us(double q) const;
};

StampedeResult run_stampede(const StampedeDesc& d);

// "none", "lease", "coalesce", "swr", "xfetch".
std::string_view strategy_name(StampedeDesc::Strategy s);

}  // namespace scalebook::sim::cache
