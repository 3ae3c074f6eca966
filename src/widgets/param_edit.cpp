#include "widgets/param_edit.h"

namespace scalebook::widgets {

std::string check_params(const WidgetInfo& info, const ParamMap& params) {
  return info.check ? info.check(params) : std::string();
}

EditOutcome apply_edits(const WidgetInfo& info, ParamMap& params, const ParamEdits& edits) {
  ParamMap next = params;
  for (const auto& [key, value] : edits) {
    if (key == "preset") {
      const PresetSpec* preset = find_preset(info, value);
      if (!preset)
        return {EditResult::Refused,
                "parameter 'preset': unknown preset \"" + value + "\" (known: " +
                    (info.presets.empty() ? std::string("none") : preset_ids(info)) + ")",
                "preset"};
      next = preset_params(info, *preset);
      continue;
    }
    const ParamSpec* spec = find_param(info, key);
    if (!spec)
      return {EditResult::Refused, "unknown parameter '" + key + "' (known: " + param_names(info) + ")", key};
    if (std::string msg = validate_param(*spec, value); !msg.empty())
      return {EditResult::Refused, "parameter '" + key + "': " + msg, key};
    next[key] = value;
  }
  if (next == params) return {EditResult::Unchanged, "", ""};
  if (std::string msg = check_params(info, next); !msg.empty()) {
    std::string k;
    if (msg.rfind("parameter '", 0) == 0) k = msg.substr(11, msg.find('\'', 11) - 11);
    return {EditResult::Refused, msg, k};
  }
  params = std::move(next);
  return {EditResult::Applied, "", ""};
}

}  // namespace scalebook::widgets
