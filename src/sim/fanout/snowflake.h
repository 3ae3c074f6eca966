// snowflake.h — Twitter's Snowflake post IDs, exactly as Twitter defined them.
//
// Models the ID generator of twitter-archive/snowflake (IdWorker.scala, 2010):
//   bit 63      unused (0: IDs are positive signed 64-bit integers)
//   bits 62..22 41-bit milliseconds since Twitter's epoch 1288834974657
//               (2010-11-04T01:42:54.657Z)
//   bits 21..17 5-bit datacenter id
//   bits 16..12 5-bit worker id
//   bits 11..0  12-bit sequence: 0 for the first ID of a millisecond, +1 for
//               each further ID in the same millisecond.
// When the sequence would wrap (a 4097th ID in one millisecond) the reference
// spins in tilNextMillis until the clock passes the last millisecond, then
// issues sequence 0 of that new millisecond. A clock that moved backwards is
// refused (the reference throws InvalidSystemClock).
//
// Invariants: IDs from one generator strictly increase; decode(encode(x)) == x;
// IDs from generators with distinct (datacenter, worker) never collide.
//
// Virtual time: the caller passes the clock (`now_ms`, Unix milliseconds). The
// reference's busy-wait is modelled by `next_waiting`, which issues at
// max(now_ms, last_ms) — a request that arrives while the generator is "sleeping"
// into the next millisecond waits with it, as a real caller blocked on the
// synchronized nextId() would.
//
// Not modelled: the Thrift service, user-agent validation, the audit log. One
// difference from the 2010 reference on purpose: it reset the sequence *before*
// the backwards-clock check, so a later call in the old millisecond could reuse
// sequence 1; we check first (as later versions of the reference do).
#pragma once
#include <cstdint>
#include <optional>

namespace scalebook::sim::fanout {

inline constexpr std::int64_t kTwitterEpochMs = 1288834974657;  // twepoch
inline constexpr int kSequenceBits = 12;
inline constexpr int kWorkerIdBits = 5;
inline constexpr int kDatacenterIdBits = 5;
inline constexpr int kTimestampBits = 41;
inline constexpr int kWorkerIdShift = kSequenceBits;                                  // 12
inline constexpr int kDatacenterIdShift = kSequenceBits + kWorkerIdBits;              // 17
inline constexpr int kTimestampShift = kSequenceBits + kWorkerIdBits + kDatacenterIdBits;  // 22
inline constexpr std::uint64_t kSequenceMask = (1ull << kSequenceBits) - 1;           // 4095
inline constexpr std::uint64_t kMaxWorkerId = (1ull << kWorkerIdBits) - 1;            // 31
inline constexpr std::uint64_t kMaxDatacenterId = (1ull << kDatacenterIdBits) - 1;    // 31
inline constexpr std::int64_t kMaxTimestampOffsetMs = (1ll << kTimestampBits) - 1;

struct SnowflakeParts {
  std::int64_t unix_ms = 0;  // kTwitterEpochMs + the 41-bit field
  std::uint32_t datacenter_id = 0;
  std::uint32_t worker_id = 0;
  std::uint32_t sequence = 0;
};

constexpr std::uint64_t snowflake_encode(const SnowflakeParts& p) {
  return (static_cast<std::uint64_t>(p.unix_ms - kTwitterEpochMs) << kTimestampShift) |
         (static_cast<std::uint64_t>(p.datacenter_id) << kDatacenterIdShift) |
         (static_cast<std::uint64_t>(p.worker_id) << kWorkerIdShift) | p.sequence;
}

constexpr SnowflakeParts snowflake_decode(std::uint64_t id) {
  return {.unix_ms = static_cast<std::int64_t>(id >> kTimestampShift) + kTwitterEpochMs,
          .datacenter_id = static_cast<std::uint32_t>((id >> kDatacenterIdShift) & kMaxDatacenterId),
          .worker_id = static_cast<std::uint32_t>((id >> kWorkerIdShift) & kMaxWorkerId),
          .sequence = static_cast<std::uint32_t>(id & kSequenceMask)};
}

class SnowflakeGenerator {
 public:
  struct Issued {
    std::uint64_t id = 0;
    std::int64_t unix_ms = 0;  // the millisecond encoded (later than now_ms after a wait)
  };

  // Ids must be in [0, 31]; callers validate (the reference throws IllegalArgumentException).
  constexpr SnowflakeGenerator(std::uint32_t datacenter_id = 0, std::uint32_t worker_id = 0)
      : datacenter_id_(datacenter_id & kMaxDatacenterId), worker_id_(worker_id & kMaxWorkerId) {}

  // The reference's nextId() with the clock reading `now_ms`. nullopt when the
  // clock moved backwards or lies outside the 41-bit range (the reference throws).
  constexpr std::optional<Issued> next(std::int64_t now_ms) {
    if (now_ms < last_ms_) return std::nullopt;  // InvalidSystemClock
    std::int64_t ts = now_ms;
    std::uint64_t seq = 0;
    if (ts == last_ms_) {
      seq = (sequence_ + 1) & kSequenceMask;
      if (seq == 0) ts = last_ms_ + 1;  // tilNextMillis: the first clock value > last_ms
    }
    const std::int64_t offset = ts - kTwitterEpochMs;
    if (offset < 0 || offset > kMaxTimestampOffsetMs) return std::nullopt;
    sequence_ = seq;
    last_ms_ = ts;
    return Issued{snowflake_encode({ts, datacenter_id_, worker_id_, static_cast<std::uint32_t>(seq)}), ts};
  }

  // A caller that queues behind a generator still sleeping into a later millisecond.
  constexpr std::optional<Issued> next_waiting(std::int64_t now_ms) {
    return next(now_ms < last_ms_ ? last_ms_ : now_ms);
  }

  constexpr std::int64_t last_ms() const { return last_ms_; }
  constexpr std::uint32_t datacenter_id() const { return datacenter_id_; }
  constexpr std::uint32_t worker_id() const { return worker_id_; }
  constexpr void set_sequence_for_test(std::uint64_t seq, std::int64_t last_ms) {
    sequence_ = seq & kSequenceMask;
    last_ms_ = last_ms;
  }

 private:
  std::uint32_t datacenter_id_;
  std::uint32_t worker_id_;
  std::uint64_t sequence_ = 0;
  std::int64_t last_ms_ = -1;
};

}  // namespace scalebook::sim::fanout
