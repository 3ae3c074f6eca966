#include "sim/fanout/graph.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/portable_math.h"
#include "sim/core/rng.h"

namespace scalebook::sim::fanout {

std::string validate(const GraphDesc& d) {
  if (d.users < 2 || d.users > 2'000'000) return "users must be in [2, 2000000]";
  if (!(d.exponent > 1.0) || d.exponent > 10.0) return "exponent must be in (1, 10]";
  if (!(d.mean_followers >= 0.0) || d.mean_followers > d.users - 1.0) return "mean_followers must be in [0, users-1]";
  if (d.celebrities >= d.users) return "celebrities must be fewer than users";
  if (d.celebrities > 0 && d.celebrity_followers >= d.users) return "celebrity_followers must be less than users";
  const double edges = d.mean_followers * (d.users - d.celebrities) + 1.0 * d.celebrities * d.celebrity_followers;
  if (edges > 4.0e9) return "too many edges for 32-bit adjacency (users × mean_followers must stay below 4e9)";
  return {};
}

std::vector<std::uint32_t> body_follower_counts(std::uint32_t m, std::uint32_t max_followers, double mean_followers,
                                                double exponent) {
  std::vector<std::uint32_t> out(m, 0);
  if (m == 0) return out;
  std::vector<double> q(m);
  for (std::uint32_t k = 0; k < m; ++k) q[k] = ppow((k + 0.5) / m, -1.0 / (exponent - 1.0));
  auto mean_at = [&](double x_min) {
    double sum = 0.0;
    for (std::uint32_t k = 0; k < m; ++k) sum += std::min<double>(max_followers, std::floor(x_min * q[k]));
    return sum / m;
  };
  // Smallest x_min (to bisection precision) whose mean reaches the target.
  double lo = 0.0, hi = (max_followers + 1.0) / q[m - 1];
  if (mean_at(hi) <= mean_followers) {
    lo = hi;
  } else {
    for (int i = 0; i < 80; ++i) {
      const double mid = 0.5 * (lo + hi);
      (mean_at(mid) >= mean_followers ? hi : lo) = mid;
    }
  }
  const double x_min = mean_at(lo) >= mean_followers ? lo : hi;
  for (std::uint32_t k = 0; k < m; ++k)
    out[k] = static_cast<std::uint32_t>(std::min<double>(max_followers, std::floor(x_min * q[k])));
  return out;
}

namespace {

// Appends `count` distinct users in [0, n) other than `self` to `out`.
void pick_followers(Rng& rng, std::uint32_t n, std::uint32_t self, std::uint32_t count,
                    std::vector<std::uint32_t>& mark, std::vector<std::uint32_t>& out) {
  const std::uint32_t pool = n - 1;
  if (count > pool / 2) {
    // Selection sampling (Knuth's Algorithm S): one pass, exact count, ascending order.
    std::uint32_t needed = count, remaining = pool;
    for (std::uint32_t v = 0; v < n && needed > 0; ++v) {
      if (v == self) continue;
      if (rng.uniform_int(remaining) < needed) {
        out.push_back(v);
        --needed;
      }
      --remaining;
    }
    return;
  }
  for (std::uint32_t got = 0; got < count;) {
    const auto v = static_cast<std::uint32_t>(rng.uniform_int(n));
    if (v == self || mark[v] == self) continue;
    mark[v] = self;
    out.push_back(v);
    ++got;
  }
}

}  // namespace

FollowerGraph FollowerGraph::generate(const GraphDesc& d) {
  FollowerGraph g;
  g.users_ = d.users;
  const std::uint32_t n = d.users, c = d.celebrities;
  std::vector<std::uint32_t> degree(n, 0);
  for (std::uint32_t u = 0; u < c; ++u) degree[u] = d.celebrity_followers;
  auto body = body_follower_counts(n - c, n - 1, d.mean_followers, d.exponent);
  Rng root(d.seed);
  Rng perm_rng = root.split(1), pick_rng = root.split(2);
  // Fisher–Yates: which body user gets which stratum.
  for (std::uint32_t i = static_cast<std::uint32_t>(body.size()); i > 1; --i)
    std::swap(body[i - 1], body[perm_rng.uniform_int(i)]);
  for (std::uint32_t k = 0; k < n - c; ++k) degree[c + k] = body[k];

  g.follower_offsets_.assign(n + 1, 0);
  std::uint64_t total = 0;
  for (std::uint32_t u = 0; u < n; ++u) {
    total += degree[u];
    g.follower_offsets_[u + 1] = static_cast<std::uint32_t>(total);
  }
  g.followers_.reserve(total);
  std::vector<std::uint32_t> mark(n, std::numeric_limits<std::uint32_t>::max());
  for (std::uint32_t u = 0; u < n; ++u) pick_followers(pick_rng, n, u, degree[u], mark, g.followers_);
  g.build_followees();
  return g;
}

FollowerGraph FollowerGraph::from_edges(std::uint32_t users,
                                        const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  FollowerGraph g;
  g.users_ = users;
  std::vector<std::vector<std::uint32_t>> fol(users);
  for (auto [follower, followee] : edges)
    if (follower != followee && follower < users && followee < users) fol[followee].push_back(follower);
  g.follower_offsets_.assign(users + 1, 0);
  for (std::uint32_t u = 0; u < users; ++u) {
    std::sort(fol[u].begin(), fol[u].end());
    fol[u].erase(std::unique(fol[u].begin(), fol[u].end()), fol[u].end());
    g.followers_.insert(g.followers_.end(), fol[u].begin(), fol[u].end());
    g.follower_offsets_[u + 1] = static_cast<std::uint32_t>(g.followers_.size());
  }
  g.build_followees();
  return g;
}

void FollowerGraph::build_followees() {
  followee_offsets_.assign(users_ + 1, 0);
  for (auto f : followers_) ++followee_offsets_[f + 1];
  for (std::uint32_t u = 0; u < users_; ++u) followee_offsets_[u + 1] += followee_offsets_[u];
  followees_.assign(followers_.size(), 0);
  std::vector<std::uint32_t> pos(followee_offsets_.begin(), followee_offsets_.end() - 1);
  for (std::uint32_t u = 0; u < users_; ++u)
    for (auto f : followers_of(u)) followees_[pos[f]++] = u;  // u ascending ⇒ each list sorted
  followers_.shrink_to_fit();
}

bool FollowerGraph::follows(std::uint32_t follower, std::uint32_t followee) const {
  auto list = followees_of(follower);
  return std::binary_search(list.begin(), list.end(), followee);
}

std::uint64_t FollowerGraph::memory_bytes() const {
  return sizeof(std::uint32_t) *
         (follower_offsets_.size() + followers_.size() + followee_offsets_.size() + followees_.size());
}

}  // namespace scalebook::sim::fanout
