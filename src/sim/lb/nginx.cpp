#include "sim/lb/nginx.h"

#include "sim/core/virtual_time.h"

namespace scalebook::sim::lb {

NginxUpstream::NginxUpstream(std::vector<NginxServer> servers, NginxMethod method) : method_(method) {
  for (auto& s : servers) {
    Peer p;
    p.cfg = std::move(s);
    p.effective_weight = p.cfg.weight;
    total_weight_ += p.cfg.weight;  // down peers included, as in ngx_http_upstream_init_round_robin
    peers_.push_back(std::move(p));
  }
  single_ = peers_.size() == 1;
}

NginxRequest NginxUpstream::begin_request(std::uint32_t client_ipv4) const {
  NginxRequest r;
  r.tried.assign(peers_.size(), false);
  r.ip_prefix = {static_cast<std::uint8_t>(client_ipv4 >> 24), static_cast<std::uint8_t>(client_ipv4 >> 16),
                 static_cast<std::uint8_t>(client_ipv4 >> 8)};
  return r;
}

bool NginxUpstream::failed_now(const Peer& p, std::int64_t now_s) const {
  return p.cfg.max_fails && p.fails >= p.cfg.max_fails && now_s - p.checked_s <= p.cfg.fail_timeout_s;
}

bool NginxUpstream::eligible(const Peer& p, std::int64_t now_s) const {
  if (p.cfg.down) return false;
  if (failed_now(p, now_s)) return false;
  if (p.cfg.max_conns && p.conns >= p.cfg.max_conns) return false;
  return true;
}

int NginxUpstream::take(NginxRequest& req, int p) {
  req.tried[static_cast<std::size_t>(p)] = true;
  ++peers_[static_cast<std::size_t>(p)].conns;
  return p;
}

int NginxUpstream::pick(NginxRequest& req, std::int64_t now_us) {
  const std::int64_t now_s = us_to_s_floor(now_us);
  if (single_) {
    // ngx_http_upstream_get_round_robin_peer's single-peer branch: down and max_conns only.
    Peer& p = peers_[0];
    if (p.cfg.down || (p.cfg.max_conns && p.conns >= p.cfg.max_conns)) return -1;
    ++p.conns;
    return 0;
  }
  switch (method_) {
    case NginxMethod::kRoundRobin: return pick_round_robin(req, now_s);
    case NginxMethod::kLeastConn: return pick_least_conn(req, now_s);
    case NginxMethod::kIpHash: return pick_ip_hash(req, now_s);
  }
  return -1;
}

int NginxUpstream::pick_round_robin(NginxRequest& req, std::int64_t now_s) {
  int best = -1;
  int total = 0;
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    Peer& p = peers_[i];
    if (req.tried[i] || !eligible(p, now_s)) continue;
    p.current_weight += p.effective_weight;
    total += p.effective_weight;
    if (p.effective_weight < p.cfg.weight) ++p.effective_weight;
    if (best < 0 || p.current_weight > peers_[static_cast<std::size_t>(best)].current_weight) best = static_cast<int>(i);
  }
  if (best < 0) return -1;
  Peer& b = peers_[static_cast<std::size_t>(best)];
  b.current_weight -= total;
  if (now_s - b.checked_s > b.cfg.fail_timeout_s) b.checked_s = now_s;
  return take(req, best);
}

int NginxUpstream::pick_least_conn(NginxRequest& req, std::int64_t now_s) {
  int best = -1;
  bool many = false;
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    const Peer& p = peers_[i];
    if (req.tried[i] || !eligible(p, now_s)) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      many = false;
      continue;
    }
    const Peer& b = peers_[static_cast<std::size_t>(best)];
    const long lhs = static_cast<long>(p.conns) * b.cfg.weight, rhs = static_cast<long>(b.conns) * p.cfg.weight;
    if (lhs < rhs) {
      best = static_cast<int>(i);
      many = false;
    } else if (lhs == rhs) {
      many = true;
    }
  }
  if (best < 0) return -1;
  int total = 0;
  if (many) {
    // Weighted round robin over the peers tied with `best`, from `best` on. The tie
    // test is against the current best, which moves (nginx does the same; ties are
    // transitive, so it selects the same set).
    for (std::size_t i = static_cast<std::size_t>(best); i < peers_.size(); ++i) {
      Peer& p = peers_[i];
      const Peer& b = peers_[static_cast<std::size_t>(best)];
      if (req.tried[i] || p.cfg.down) continue;
      if (static_cast<long>(p.conns) * b.cfg.weight != static_cast<long>(b.conns) * p.cfg.weight) continue;
      if (failed_now(p, now_s) || (p.cfg.max_conns && p.conns >= p.cfg.max_conns)) continue;
      p.current_weight += p.effective_weight;
      total += p.effective_weight;
      if (p.effective_weight < p.cfg.weight) ++p.effective_weight;
      if (p.current_weight > peers_[static_cast<std::size_t>(best)].current_weight) best = static_cast<int>(i);
    }
  }
  Peer& b = peers_[static_cast<std::size_t>(best)];
  b.current_weight -= total;
  if (now_s - b.checked_s > b.cfg.fail_timeout_s) b.checked_s = now_s;
  return take(req, best);
}

std::uint32_t NginxUpstream::ip_hash_fold(std::uint32_t hash, const std::array<std::uint8_t, 3>& prefix) {
  for (std::uint8_t octet : prefix) hash = (hash * 113 + octet) % 6271;
  return hash;
}

int NginxUpstream::pick_ip_hash(NginxRequest& req, std::int64_t now_s) {
  if (req.hash_tries > 20) return pick_round_robin(req, now_s);
  std::uint32_t hash = req.hash;
  for (;;) {
    hash = ip_hash_fold(hash, req.ip_prefix);
    int w = static_cast<int>(hash % static_cast<std::uint32_t>(total_weight_));
    std::size_t p = 0;
    while (w >= peers_[p].cfg.weight) {
      w -= peers_[p].cfg.weight;
      ++p;
    }
    if (!req.tried[p] && eligible(peers_[p], now_s)) {
      Peer& peer = peers_[p];
      if (now_s - peer.checked_s > peer.cfg.fail_timeout_s) peer.checked_s = now_s;
      req.hash = hash;
      return take(req, static_cast<int>(p));
    }
    if (++req.hash_tries > 20) return pick_round_robin(req, now_s);
  }
}

void NginxUpstream::release(int peer, bool failed, std::int64_t now_us) {
  if (peer < 0) return;
  Peer& p = peers_[static_cast<std::size_t>(peer)];
  if (single_) {
    --p.conns;
    return;
  }
  if (failed) {
    const std::int64_t now_s = us_to_s_floor(now_us);
    ++p.fails;
    p.accessed_s = now_s;
    p.checked_s = now_s;
    if (p.cfg.max_fails) p.effective_weight -= p.cfg.weight / p.cfg.max_fails;
    if (p.effective_weight < 0) p.effective_weight = 0;
  } else if (p.accessed_s < p.checked_s) {
    p.fails = 0;
  }
  --p.conns;
}

int NginxUpstream::pick_and_release(std::uint32_t client_ipv4, std::int64_t now_us) {
  NginxRequest r = begin_request(client_ipv4);
  const int p = pick(r, now_us);
  release(p, false, now_us);
  return p;
}

}  // namespace scalebook::sim::lb
