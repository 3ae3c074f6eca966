// circle_search.h — the one lookup every hash circle shares: the index of the
// first point whose position is ≥ a hash, wrapping past the top to point 0.
//
// What it models: libmemcached's dispatch_host lower-bound search over the
// ketama continuum (hash.cc), step for step — `middle = left + (right − left)/2`,
// `middle->value < hash ? left = middle + 1 : right = middle`, and `right == end`
// wraps to the first point — so HashRing (64-bit positions) and
// KetamaContinuum (32-bit values) answer exactly as libmemcached does.
// Invariants: `points` sorted by the projected position (ascending); the
// result is in [0, points.size()) for a non-empty range, 0 for an empty one.
// `steps` (if given) receives the number of halving iterations (the lookup
// cost the widget and the CLI report).
// Not modelled: anything about how points are made (see hash_ring.h, ketama.h).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace scalebook::sim::sharding {

// `position` is a pointer to the member holding a point's place on the circle
// (RingPoint::position, KetamaPoint::value).
template <class Point, class Position>
std::size_t first_point_at_or_after(std::span<const Point> points, Position Point::*position, Position hash,
                                    std::uint32_t* steps = nullptr) {
  std::size_t left = 0, right = points.size();
  std::uint32_t n = 0;
  while (left < right) {
    const std::size_t middle = left + (right - left) / 2;
    if (points[middle].*position < hash)
      left = middle + 1;
    else
      right = middle;
    ++n;
  }
  if (steps) *steps = n;
  return right == points.size() ? 0 : right;
}

}  // namespace scalebook::sim::sharding
