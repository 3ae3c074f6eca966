// scenario_support.h — what every widget's scenario test needs to set a run up through the
// same paths the page uses: parameters edited by the one parameter path (apply_edits, so a
// test can never configure a value the page would refuse) and actions normalised against the
// widget's schema (normalise_action, as the host and `scalebook sim --action` do).
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "widgets/actions.h"
#include "widgets/catalog.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"

namespace scalebook::widgets::testing {

// The widget's defaults with `edits` applied; a refused edit fails the calling test.
inline ParamMap params_with(const WidgetInfo& info, ParamEdits edits) {
  ParamMap p = default_params(info);
  const EditOutcome o = apply_edits(info, p, edits);
  EXPECT_NE(o.result, EditResult::Refused) << o.message;
  return p;
}

// An action at `t_us`, its arguments checked and defaulted by the schema; a refused action
// fails the calling test.
inline Action checked_action(const WidgetInfo& info, std::int64_t t_us, std::string name,
                             std::vector<std::string> args = {}) {
  Action a{t_us, std::move(name), std::move(args)};
  EXPECT_EQ(normalise_action(info, a), "");
  return a;
}

}  // namespace scalebook::widgets::testing
