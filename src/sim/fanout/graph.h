// graph.h — the follower graph: a heavy-tailed "who follows whom", generated from a seed.
//
// Models: N users. Users 0..celebrities-1 are celebrity accounts, each followed by
// `celebrity_followers` distinct users. Every other user's follower count comes
// from a power law P(X > x) = (x_min / x)^(exponent - 1) (density exponent
// ~2.2–2.3 on real follower graphs), truncated to N-1, drawn as a *discrete
// stratified* sample: body user k of M gets floor(x_min · u_k^(-1/(exponent-1)))
// with u_k = (k + 0.5) / M (the quantile of stratum k), assigned to users by a
// seeded random permutation. x_min is solved by bisection so the body's mean
// follower count equals `mean_followers` exactly up to integer rounding; so
// 10^5 users at mean 100 give 10^7 edges every time instead of a sample mean
// that a tail exponent < 3 (infinite variance) would scatter widely.
// Each user's followers are distinct users other than itself, picked uniformly
// (rejection against a marker array; selection sampling when a user is followed
// by more than half the graph).
//
// Storage: compressed sparse rows in both directions, 32-bit offsets and ids:
//   followers_of(u)  (for fan-out on write) and followees_of(u) (for fan-out on read),
//   memory = 2·(N+1)·4 + 2·E·4 bytes — 10^5 users / 10^7 edges = 80.8 MB.
// followees_of(u) is sorted ascending; followers_of(u) is in the order drawn.
//
// Invariants: no self-follows, no duplicate edges; the two directions hold the
// same edge set; same Desc (incl. seed) ⇒ identical graph natively and in Wasm.
// Not modelled: follow/unfollow over time, reciprocity, communities, correlation
// between how many accounts a user follows and how many follow them (followee
// counts come out roughly binomial).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace scalebook::sim::fanout {

struct GraphDesc {
  std::uint32_t users = 3000;
  double mean_followers = 40.0;  // mean follower count of non-celebrity users
  double exponent = 2.25;        // power-law density exponent of the body (> 1)
  std::uint32_t celebrities = 3;
  std::uint32_t celebrity_followers = 2000;  // per celebrity; must be < users
  std::uint64_t seed = 1;
  bool operator==(const GraphDesc&) const = default;
};

// "" when the desc can be generated, otherwise a message naming the field.
std::string validate(const GraphDesc& desc);

class FollowerGraph {
 public:
  FollowerGraph() = default;
  // Precondition: validate(desc) == "".
  static FollowerGraph generate(const GraphDesc& desc);
  // From an explicit edge list (follower, followee), for tests; duplicates/self-edges rejected by assert-free skip.
  static FollowerGraph from_edges(std::uint32_t users, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges);

  std::uint32_t users() const { return users_; }
  std::uint64_t edges() const { return followers_.size(); }
  std::span<const std::uint32_t> followers_of(std::uint32_t u) const {
    return {followers_.data() + follower_offsets_[u], followers_.data() + follower_offsets_[u + 1]};
  }
  std::span<const std::uint32_t> followees_of(std::uint32_t u) const {
    return {followees_.data() + followee_offsets_[u], followees_.data() + followee_offsets_[u + 1]};
  }
  std::uint32_t follower_count(std::uint32_t u) const { return follower_offsets_[u + 1] - follower_offsets_[u]; }
  std::uint32_t followee_count(std::uint32_t u) const { return followee_offsets_[u + 1] - followee_offsets_[u]; }
  bool follows(std::uint32_t follower, std::uint32_t followee) const;  // O(log followees)
  // Bytes held by the four CSR arrays (the stated budget; capacity == size).
  std::uint64_t memory_bytes() const;

 private:
  void build_followees();
  std::uint32_t users_ = 0;
  std::vector<std::uint32_t> follower_offsets_{0};
  std::vector<std::uint32_t> followers_;
  std::vector<std::uint32_t> followee_offsets_{0};
  std::vector<std::uint32_t> followees_;
};

// The body's stratified follower counts before permutation (descending), for tests.
std::vector<std::uint32_t> body_follower_counts(std::uint32_t body_users, std::uint32_t max_followers,
                                                double mean_followers, double exponent);

}  // namespace scalebook::sim::fanout
