#include "sim/cache/meta_lease.h"

#include <utility>

namespace scalebook::sim::cache {

// realtime() for relative TTLs (<= 30 days; larger tokens are absolute Unix times
// in memcached, not modelled). A negative TTL becomes a time already past.
std::int64_t MetaLease::realtime(std::int32_t ttl, std::int64_t now_s) {
  if (ttl == 0) return 0;
  if (ttl < 0) return -1;
  return now_s + ttl;
}

MetaLease::Item* MetaLease::live(const std::string& key, std::int64_t now_s) {
  auto it = items_.find(key);
  if (it == items_.end()) return nullptr;
  if (it->second.exptime != 0 && it->second.exptime <= now_s) {
    items_.erase(it);  // do_item_get unlinks an expired item on sight
    return nullptr;
  }
  return &it->second;
}

bool MetaLease::contains(const std::string& key, std::int64_t now_s) const {
  auto it = items_.find(key);
  return it != items_.end() && !(it->second.exptime != 0 && it->second.exptime <= now_s);
}

MetaLease::Reply MetaLease::mg(const std::string& key, std::int64_t now_s, const MgFlags& f) {
  Reply r;
  Item* it = live(key, now_s);
  bool created = false;
  if (!it && f.vivify_ttl) {
    it = &items_[key];
    *it = Item{};
    it->cas = ++next_cas_;  // do_item_link
    created = true;
  }
  if (!it) return r;  // EN
  r.status = Status::Hit;
  bool won = false;
  // The flag loop of process_mget_command, in the order the flags matter.
  if (f.touch_ttl) it->exptime = realtime(*f.touch_ttl, now_s);
  if (f.vivify_ttl && created) {
    it->exptime = realtime(*f.vivify_ttl, now_s);
    won = true;
  }
  if (f.recache_ttl && !it->token_sent && !created && it->exptime != 0 &&
      it->exptime < realtime(*f.recache_ttl, now_s)) {
    won = true;
  }
  if (it->token_sent) r.token_sent = true;  // Z
  if (it->stale) {
    r.stale = true;                         // X
    if (!it->token_sent) won = true;
  }
  if (won) {
    r.win = true;  // W
    it->token_sent = true;
  }
  r.cas = it->cas;
  r.value = it->value;
  return r;
}

MetaLease::Reply MetaLease::ms(const std::string& key, std::string value, std::int64_t now_s, const MsFlags& f) {
  Reply r;
  Item fresh;
  fresh.value = std::move(value);
  fresh.exptime = f.ttl ? realtime(*f.ttl, now_s) : 0;
  Item* old = live(key, now_s);
  const bool cas_mode = f.cas.has_value();
  if (cas_mode) {
    if (!old) {
      r.status = Status::NotFound;
      return r;
    }
    const std::uint64_t c = *f.cas;
    if (c != 0 && c == old->cas) {
      // CAS_MATCH: stored fresh.
    } else if (c != 0 && f.invalidate && c < old->cas) {
      // CAS_STALE: stored, keeps the TTL, stays stale, keeps the token.
      fresh.exptime = old->exptime;
      fresh.stale = true;
      fresh.token_sent = old->token_sent;
    } else {
      // CAS_BADVAL, and CAS_NONE (C0), which NREAD_CAS refuses the same way.
      r.status = Status::Exists;
      return r;
    }
  }
  fresh.cas = ++next_cas_;
  items_[key] = std::move(fresh);
  r.status = Status::Stored;
  r.cas = next_cas_;
  return r;
}

MetaLease::Reply MetaLease::md(const std::string& key, std::int64_t now_s, const MdFlags& f) {
  Reply r;
  Item* it = live(key, now_s);
  if (!it) {
    r.status = Status::NotFound;
    return r;
  }
  if (f.cas && *f.cas != it->cas) {
    r.status = Status::Exists;
    return r;
  }
  if (f.invalidate) {
    if (f.ttl) it->exptime = realtime(*f.ttl, now_s);
    it->stale = true;
    it->token_sent = false;
    it->cas = ++next_cas_;
    r.cas = it->cas;
  } else {
    items_.erase(key);
  }
  r.status = Status::Stored;
  return r;
}

std::string MetaLease::flags_text(const Reply& r) {
  std::string s;
  auto add = [&](const char* c) {
    if (!s.empty()) s += ' ';
    s += c;
  };
  if (r.token_sent) add("Z");
  if (r.stale) add("X");
  if (r.win) add("W");
  return s;
}

}  // namespace scalebook::sim::cache
