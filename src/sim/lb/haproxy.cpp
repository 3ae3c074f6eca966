#include "sim/lb/haproxy.h"

#include <algorithm>

namespace scalebook::sim::lb {

namespace {
// server.c/lb_fwrr.c/lb_fwlc.c init: next_eweight = (uweight·wdiv + wmult − 1) / wmult
// with wdiv = BE_WEIGHT_SCALE and wmult = 1 for these algorithms, i.e. w·16.
std::uint32_t effective_weight(int user_weight) {
  const int w = std::clamp(user_weight, 0, HaproxyBalancer::kUserWeightMax);
  return static_cast<std::uint32_t>(w * HaproxyBalancer::kWeightScale);
}
}  // namespace

HaproxyBalancer::HaproxyBalancer(std::vector<int> weights, Algorithm algorithm, int draws, std::uint64_t seed)
    : weights_(std::move(weights)), algorithm_(algorithm), draws_(draws > 0 ? draws : 2), rng_(seed) {
  conns_.assign(weights_.size(), 0);
  srv_.resize(weights_.size());
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    total_weight_ += weights_[i];
    srv_[i].eweight = effective_weight(weights_[i]);
    // recount_servers(): only usable servers (eweight > 0) count and get queued.
    if (srv_[i].eweight > 0) ++usable_;
  }
  if (algorithm_ == Algorithm::kRoundRobin) fwrr_init();
  if (algorithm_ == Algorithm::kLeastConn) fwlc_init();
}

int HaproxyBalancer::pick() {
  int s = -1;
  switch (algorithm_) {
    case Algorithm::kRoundRobin: s = pick_round_robin(); break;
    case Algorithm::kLeastConn: s = pick_least_conn(); break;
    case Algorithm::kRandom: s = pick_random(); break;
  }
  if (s >= 0) {
    // sess_change_server(): served++, then lbprm.server_take_conn, which only
    // leastconn has (fwlc_srv_reposition); fwrr ignores connection counts.
    ++conns_[static_cast<std::size_t>(s)];
    if (algorithm_ == Algorithm::kLeastConn) fwlc_srv_reposition(s);
  }
  return s;
}

void HaproxyBalancer::release(int server) {
  if (server < 0 || server >= servers()) return;
  auto& c = conns_[static_cast<std::size_t>(server)];
  if (c <= 0) return;
  // sess_change_server(s, NULL) when the server side closes: served--, then
  // lbprm.server_drop_conn (fwlc_srv_reposition again for leastconn).
  --c;
  if (algorithm_ == Algorithm::kLeastConn) fwlc_srv_reposition(server);
}

// [SECTION] eb32 trees
//
// HAProxy keeps servers in eb32 trees (ebtree/eb32tree.h) whose roots are not
// EB_ROOT_UNIQUE, so equal keys are allowed: __eb_insert_dup hangs a new
// duplicate at the far right of the duplicates, and eb32_first returns the
// leftmost leaf. Hence: ascending unsigned key, then first inserted first.

void HaproxyBalancer::tree_insert(int tree, int server, std::uint32_t key) {
  auto& s = srv_[static_cast<std::size_t>(server)];
  s.key = key;
  s.seq = next_seq_++;
  s.linked = tree;
  trees_[static_cast<std::size_t>(tree)].insert(Entry{key, s.seq, server});
}

void HaproxyBalancer::tree_delete(int server) {
  auto& s = srv_[static_cast<std::size_t>(server)];
  if (s.linked == kNoTree) return;  // eb32_delete of an unlinked node is a no-op
  trees_[static_cast<std::size_t>(s.linked)].erase(Entry{s.key, s.seq, server});
  s.linked = kNoTree;
}

int HaproxyBalancer::tree_first(int tree) const {
  const auto& t = trees_[static_cast<std::size_t>(tree)];
  return t.empty() ? -1 : t.begin()->server;
}

// [SECTION] roundrobin: lb_fwrr.c

// fwrr_init_server_groups(): every usable server goes into the "init" tree,
// sorted by weight (heaviest first, configuration order among equals), and the
// group's current window is the total weight.
void HaproxyBalancer::fwrr_init() {
  int total = 0;
  for (const auto& s : srv_) total += static_cast<int>(s.eweight);  // tot_wact
  curr_pos_ = curr_weight_ = next_weight_ = total;
  init_ = kT0;
  next_ = kT1;
  for (int i = 0; i < servers(); ++i)
    if (srv_[static_cast<std::size_t>(i)].eweight > 0) fwrr_queue_by_weight(init_, i);
}

// fwrr_queue_by_weight(): key SRV_EWGHT_MAX − eweight, so heavy servers come
// first, which spreads them out (they are placed at the start of a window).
void HaproxyBalancer::fwrr_queue_by_weight(int tree, int server) {
  tree_insert(tree, server, kEffectiveWeightMax - srv_[static_cast<std::size_t>(server)].eweight);
}

// fwrr_queue_srv(): a server whose next position falls beyond this window (or
// beyond what the next window could hold) waits in "next", its position made
// relative to the next window; otherwise it goes into "current", keyed by
// position, and among equal positions by heavier weight / smaller remainder.
void HaproxyBalancer::fwrr_queue_srv(int server) {
  auto& s = srv_[static_cast<std::size_t>(server)];
  if (s.npos >= 2 * curr_weight_ || s.npos >= curr_weight_ + next_weight_) {
    s.npos -= curr_weight_;
    fwrr_queue_by_weight(next_, server);
    return;
  }
  // HAProxy computes SRV_UWGHT_RANGE·npos in int and adds an unsigned; the
  // result is stored in a u32 key. Unsigned arithmetic gives the same bits.
  const std::uint32_t key = static_cast<std::uint32_t>(kUserWeightMax) * static_cast<std::uint32_t>(s.npos) +
                            (kEffectiveWeightMax + static_cast<std::uint32_t>(s.rweight) - s.eweight) /
                                static_cast<std::uint32_t>(kWeightScale);
  tree_insert(kCurr, server, key);
}

// fwrr_get_server_from_group(): the first server of "current" if its turn has
// come (npos <= curr_pos); otherwise the heaviest server still in "init" (reset
// by fwrr_get_srv_init: npos = rweight = 0); otherwise whatever "current" had,
// even ahead of its turn (a "hole"); −1 when both are empty.
int HaproxyBalancer::fwrr_get_server_from_group() {
  const int s1 = tree_first(kCurr);
  if (s1 >= 0 && srv_[static_cast<std::size_t>(s1)].npos <= curr_pos_) return s1;
  const int s2 = tree_first(init_);
  if (s2 >= 0) {
    srv_[static_cast<std::size_t>(s2)].npos = 0;
    srv_[static_cast<std::size_t>(s2)].rweight = 0;
    return s2;
  }
  return s1;
}

// fwrr_update_position(): a server taken for the first time in this round
// (npos 0) starts at the current position; each pick moves it on by
// next_weight / eweight, carrying the remainder in rweight. (HAProxy also
// saves the old position in lpos, used only by weight changes: not modelled.)
void HaproxyBalancer::fwrr_update_position(int server) {
  auto& s = srv_[static_cast<std::size_t>(server)];
  const int ew = static_cast<int>(s.eweight);
  if (ew == 0) return;
  if (s.npos == 0) s.npos = curr_pos_;
  s.npos += next_weight_ / ew;
  s.rweight += next_weight_ % ew;
  if (s.rweight >= ew) {
    s.rweight -= ew;
    ++s.npos;
  }
}

// fwrr_switch_trees(): "next" (filled, sorted by weight) becomes "init" and
// the emptied "init" becomes "next"; a new window of next_weight starts.
void HaproxyBalancer::fwrr_switch_trees() {
  std::swap(init_, next_);
  curr_weight_ = next_weight_;
  curr_pos_ = curr_weight_;
}

// fwrr_get_next_server() for the active group, without maxconn (no server is
// ever saturated) and without a server to avoid, so its outer loop runs once.
int HaproxyBalancer::pick_round_robin() {
  if (usable_ == 0) return -1;  // !p->srv_act (and no backup servers)
  if (curr_weight_ == 0) curr_pos_ = curr_weight_ = next_weight_;
  bool switched = false;
  int s = -1;
  for (;;) {
    s = fwrr_get_server_from_group();
    if (s >= 0) break;
    if (switched) return -1;  // both windows empty: cannot happen with usable servers
    switched = true;
    fwrr_switch_trees();
  }
  fwrr_update_position(s);
  tree_delete(s);
  ++curr_pos_;
  fwrr_queue_srv(s);
  return s;
}

// [SECTION] leastconn: lb_fwlc.c

// fwlc_queue_srv()/fwlc_srv_reposition(): the key is 0 for an idle server,
// whatever its weight, else (inflight + 1)·SRV_EWGHT_MAX / eweight (unsigned).
std::uint32_t HaproxyBalancer::fwlc_key(int inflight, std::uint32_t eweight) {
  if (inflight <= 0) return 0;
  return (static_cast<std::uint32_t>(inflight) + 1) * kEffectiveWeightMax / (eweight ? eweight : 1);
}

// fwlc_init_server_tree(): usable servers in configuration order, all idle, so
// all with key 0 in that order.
void HaproxyBalancer::fwlc_init() {
  for (int i = 0; i < servers(); ++i) {
    const auto& s = srv_[static_cast<std::size_t>(i)];
    if (s.eweight > 0) tree_insert(kLeastConnTree, i, fwlc_key(conns_[static_cast<std::size_t>(i)], s.eweight));
  }
}

// fwlc_srv_reposition(): a server whose key did not change keeps its place;
// otherwise it is deleted and re-inserted, behind any server with the same key.
void HaproxyBalancer::fwlc_srv_reposition(int server) {
  auto& s = srv_[static_cast<std::size_t>(server)];
  if (s.eweight == 0) return;  // never in the tree (lb_tree NULL)
  const std::uint32_t key = fwlc_key(conns_[static_cast<std::size_t>(server)], s.eweight);
  if (s.linked != kNoTree && s.key == key) return;
  tree_delete(server);
  tree_insert(kLeastConnTree, server, key);
}

// fwlc_get_next_server(): the first node of the tree (no maxconn, so no server
// is skipped as saturated).
int HaproxyBalancer::pick_least_conn() {
  if (usable_ == 0) return -1;
  return tree_first(kLeastConnTree);
}

// [SECTION] random(<draws>): unchanged from the simplified model (see the header).
int HaproxyBalancer::pick_random() {
  if (total_weight_ <= 0) return -1;
  int best = -1;
  for (int d = 0; d < draws_; ++d) {
    auto r = static_cast<int>(rng_.uniform_int(static_cast<std::uint64_t>(total_weight_)));
    int s = 0;
    while (r >= weights_[static_cast<std::size_t>(s)]) r -= weights_[static_cast<std::size_t>(s++)];
    if (best < 0) {
      best = s;
      continue;
    }
    const auto b = static_cast<std::size_t>(best), i = static_cast<std::size_t>(s);
    if (static_cast<long>(conns_[i]) * weights_[b] < static_cast<long>(conns_[b]) * weights_[i]) best = s;
  }
  return best;
}

}  // namespace scalebook::sim::lb
