// param_edit.h — the one parameter path. Every place that changes a widget's parameters
// calls apply_edits(): the site's fence check, `scalebook sim --set`, the host's
// set-param (page attributes, DOM controls, permalinks), the in-canvas parameter panel
// and a view's own requests (requests.h). So a value, a preset or a combination is
// accepted or refused the same way everywhere, with the same message text.
//
// Rules, in order:
//   1. an edit with key "preset" expands to that story preset: every parameter to its
//      default, then the preset's values (catalog.h); later edits override it;
//   2. every other edit names a parameter of the schema and passes validate_param();
//   3. the full result passes the widget's cross-parameter check (WidgetInfo::check).
// Refused ⇒ `params` is untouched and `message` says why: "unknown parameter 'k' (known:
// …)", "parameter 'k': <why the value is invalid>", "parameter 'preset': unknown preset …"
// or the widget's own cross-parameter message; the same text on the page, in the CLI's
// "error: …" and after a fence's "file:line: ".
// UI-free; unit-tested natively (tests/unit/param_edit_test.cpp).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "widgets/catalog.h"
#include "widgets/params.h"

namespace scalebook::widgets {

using ParamEdits = std::vector<std::pair<std::string, std::string>>;

enum class EditResult { Applied, Unchanged, Refused };

struct EditOutcome {
  EditResult result = EditResult::Unchanged;
  std::string message;  // Refused only
  std::string key;      // Refused only: the parameter the message is about ("" if none)
  bool applied() const { return result == EditResult::Applied; }
};

EditOutcome apply_edits(const WidgetInfo& info, ParamMap& params, const ParamEdits& edits);

// The cross-parameter check alone, on a full map ("" when it runs).
std::string check_params(const WidgetInfo& info, const ParamMap& params);

}  // namespace scalebook::widgets
