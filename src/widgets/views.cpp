// views.cpp — catalog name → view factory (Wasm only), from catalog.def.
#include "widgets/view.h"

namespace scalebook::widgets {

std::unique_ptr<WidgetView> make_view(const std::string& name) {
#define SCALEBOOK_WIDGET(ident, wname) \
  if (name == wname) return make_##ident##_view();
#include "widgets/catalog.def"
#undef SCALEBOOK_WIDGET
  return nullptr;
}

}  // namespace scalebook::widgets
