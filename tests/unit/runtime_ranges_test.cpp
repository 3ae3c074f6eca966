// runtime_ranges_test.cpp — the run's seed, speed and time ranges are one set of numbers
// (widgets/params.h) shared by the host, the CLI, the action log and — through the catalog
// JSON's "runtime" object — the page loader, which has no copies of its own any more.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "widgets/actions.h"
#include "widgets/catalog.h"
#include "widgets/params.h"

namespace sw = scalebook::widgets;

TEST(RuntimeRanges, EveryCatalogEntryCarriesTheRangesTheHostUses) {
  const std::string json = sw::catalog_json();
  const std::string expect = "\"runtime\":{\"seed_max\":9007199254740991,\"speed_min\":0.1,\"speed_max\":10,\"time_max_us\":86400000000}";
  std::size_t n = 0;
  for (std::size_t at = json.find(expect); at != std::string::npos; at = json.find(expect, at + 1)) ++n;
  EXPECT_EQ(n, sw::catalog().size()) << json.substr(0, 300);
  EXPECT_EQ(sw::kMaxTimeUs, 86400000000ll);
}

TEST(RuntimeRanges, AnActionAfterTheLastReplayableMomentIsRefused) {
  const sw::WidgetInfo& hello = *sw::find_widget("hello");
  std::vector<sw::Action> out;
  EXPECT_EQ(sw::parse_actions(hello, "86400000000:add-wave", out), "");
  const std::string err = sw::parse_actions(hello, "86400000001:add-wave", out);
  EXPECT_NE(err, "");
  EXPECT_NE(err.find("86400000001"), std::string::npos) << err;
}
