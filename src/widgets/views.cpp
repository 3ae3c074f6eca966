// views.cpp — catalog name → view factories (Wasm only), from catalog.def.
#include "widgets/view.h"

namespace scalebook::widgets {

std::unique_ptr<View> make_view(const std::string& name) {
#define SCALEBOOK_WIDGET(ident, wname) \
  if (name == wname) return make_##ident##_view ? make_##ident##_view() : nullptr;
#include "widgets/catalog.def"
#undef SCALEBOOK_WIDGET
  return nullptr;
}

std::unique_ptr<LegacyView> make_legacy_view(const std::string& name) {
#define SCALEBOOK_WIDGET(ident, wname) \
  if (name == wname) return make_##ident##_legacy_view ? make_##ident##_legacy_view() : nullptr;
#include "widgets/catalog.def"
#undef SCALEBOOK_WIDGET
  return nullptr;
}

}  // namespace scalebook::widgets
