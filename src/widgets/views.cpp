// views.cpp — catalog name → view factories (Wasm only). Compiled once per bundle over
// that bundle's lines of catalog.def (SCALEBOOK_WIDGET_LIST, as catalog_table.cpp), so a
// bundle holds only its own views.
#include "widgets/view.h"

#ifndef SCALEBOOK_WIDGET_LIST
#define SCALEBOOK_WIDGET_LIST "widgets/catalog.def"
#endif

namespace scalebook::widgets {

std::unique_ptr<View> make_view([[maybe_unused]] const std::string& name) {
#define SCALEBOOK_WIDGET(ident, wname) \
  if (name == wname) return make_##ident##_view ? make_##ident##_view() : nullptr;
#include SCALEBOOK_WIDGET_LIST
#undef SCALEBOOK_WIDGET
  return nullptr;
}

}  // namespace scalebook::widgets
