// meta_lease.h — the lease / stale-item rules of memcached's meta protocol
// (mg / ms / md) for a cache without a memory limit, as a small state machine.
//
// Read from memcached/memcached at tag 1.6.18 (the Debian bookworm package the
// oracle test runs) and checked unchanged at 2d51e364 (2026): proto_text.c
// process_mget_command / process_mset_command / process_mdelete_command /
// _meta_flag_preparse (moved to proto_parser.c at HEAD), memcached.c
// do_store_item (the CAS cases) and realtime(), items.c do_item_get (expiry).
// doc/protocol.txt describes the same flags. Our own code.
//
// Models, per key, an item with: value, exptime (absolute seconds, 0 = never),
// CAS id, and the two item flags the lease rules use, ITEM_STALE and
// ITEM_TOKEN_SENT. The clock is memcached's current_time: whole seconds since
// the process started (the caller passes it with every command).
//  * Expiry (do_item_get): an item with exptime != 0 and exptime <= now is gone
//    (a miss). TTL tokens go through realtime(): 0 = never, t > 0 = now + t,
//    negative = already expired (EXPTIME_TO_POSITIVE_TIME).
//  * mg: a miss with N<ttl> vivifies an empty item (exptime from N, a new CAS)
//    and wins: W. On any item: T<ttl> updates exptime; R<t> wins if the item was
//    not just created, has no token sent, exptime != 0 and exptime < now + t.
//    Then, in this order (as the code appends them): Z if a token was already
//    sent; X if the item is stale, and a stale item with no token sent wins;
//    W if won, and winning sets TOKEN_SENT. So the first reader of a stale item
//    sees "X W", later ones "Z X"; never W with Z.
//  * ms: without C, always stored (a fresh item: not stale, no token sent, new
//    CAS). With C<cas> (CAS mode): no item → NF; cas == item's → stored fresh;
//    with I and cas < item's (an older token) → stored but marked stale,
//    keeping the old exptime and TOKEN_SENT; otherwise → EX (refused),
//    including C0 (do_store_item's CAS_NONE, which CAS mode refuses like a
//    mismatch). T<ttl> sets exptime (0 when absent).
//  * md: no item → NF; C<cas> not equal → EX. With I: mark stale, clear
//    TOKEN_SENT (so the next reader wins), new CAS, and T<ttl> updates
//    exptime. Without I: delete.
//  * CAS ids come from one counter, bumped on every link (mg's vivify, ms) and
//    by md I, as get_cas_id() does; the first id is 1.
// Does NOT model: memory limits, LRU and eviction (see memcached.h), the q/k/O/
// b/s/f/h/l/u flags and the response bytes (only the status and W/Z/X), ms
// modes other than set (M: add/append/prepend/replace), ma, flush_all, the
// CAS-disabled (-C) mode, refcount overflow.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace scalebook::sim::cache {

// The flags of one command that matter here (at namespace scope so they can be default arguments).
struct MetaMgFlags {
  std::optional<std::int32_t> vivify_ttl = std::nullopt;   // N<ttl>
  std::optional<std::int32_t> recache_ttl = std::nullopt;  // R<t>
  std::optional<std::int32_t> touch_ttl = std::nullopt;    // T<ttl>
};
struct MetaMsFlags {
  std::optional<std::int32_t> ttl = std::nullopt;  // T<ttl>
  std::optional<std::uint64_t> cas = std::nullopt; // C<cas>
  bool invalidate = false;          // I
};
struct MetaMdFlags {
  std::optional<std::int32_t> ttl = std::nullopt;  // T<ttl> (with I)
  std::optional<std::uint64_t> cas = std::nullopt; // C<cas>
  bool invalidate = false;          // I
};

class MetaLease {
 public:
  enum class Status : std::uint8_t {
    Hit,        // mg found (or created) an item: "VA"/"HD"
    Miss,       // mg: "EN"
    Stored,     // ms / md: "HD"
    NotFound,   // "NF"
    Exists,     // "EX": a CAS mismatch, the refused set
  };
  using MgFlags = MetaMgFlags;
  using MsFlags = MetaMsFlags;
  using MdFlags = MetaMdFlags;
  struct Reply {
    Status status = Status::Miss;
    bool win = false, token_sent = false, stale = false;  // W, Z, X
    std::uint64_t cas = 0;  // the item's CAS after the command (mg: what `c` returns)
    std::string value;      // mg: the data block
    bool operator==(const Reply&) const = default;
  };

  Reply mg(const std::string& key, std::int64_t now_s, const MgFlags& f = {});
  Reply ms(const std::string& key, std::string value, std::int64_t now_s, const MsFlags& f = {});
  Reply md(const std::string& key, std::int64_t now_s, const MdFlags& f = {});

  bool contains(const std::string& key, std::int64_t now_s) const;
  std::size_t size() const { return items_.size(); }
  // "W", "Z X", "X W", "" …: the extra flags in the order the server prints them.
  static std::string flags_text(const Reply& r);

 private:
  struct Item {
    std::string value;
    std::int64_t exptime = 0;
    std::uint64_t cas = 0;
    bool stale = false, token_sent = false;
  };
  static std::int64_t realtime(std::int32_t ttl, std::int64_t now_s);
  Item* live(const std::string& key, std::int64_t now_s);  // erases an expired item

  std::map<std::string, Item> items_;
  std::uint64_t next_cas_ = 0;
};

}  // namespace scalebook::sim::cache
