// key_table.h — string-keyed hash tables that look up by string_view without
// allocating (C++20 heterogeneous lookup), for the directory and bounded loads.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace scalebook::sim::sharding {

struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  std::size_t operator()(const std::string& s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace scalebook::sim::sharding
