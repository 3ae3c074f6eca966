// catalog_table.cpp — the list of widgets one binary holds, from a catalog.def-shaped list.
//
// Natively (the `scalebook` tool, the tests) SCALEBOOK_WIDGET_LIST is unset and the list is
// the whole of catalog.def. Each Wasm bundle compiles this file again with
// SCALEBOOK_WIDGET_LIST naming a generated file that holds only that bundle's lines
// (src/platform/web/CMakeLists.txt), so the bundle references — and the linker pulls out of
// the archives — only those widgets' schemas, scenarios and models.
#include <vector>

#include "widgets/catalog.h"

#ifndef SCALEBOOK_WIDGET_LIST
#define SCALEBOOK_WIDGET_LIST "widgets/catalog.def"
#endif

namespace scalebook::widgets {

#define SCALEBOOK_WIDGET(ident, name) WidgetInfo ident##_info();
#include SCALEBOOK_WIDGET_LIST
#undef SCALEBOOK_WIDGET

std::vector<WidgetInfo> catalog_entries() {
  return {
#define SCALEBOOK_WIDGET(ident, name) ident##_info(),
#include SCALEBOOK_WIDGET_LIST
#undef SCALEBOOK_WIDGET
  };
}

}  // namespace scalebook::widgets
