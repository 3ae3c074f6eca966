// The walking-skeleton widget: a shader-drawn wave and an ImGui panel. It exists
// to prove every layer (fence → element → loader → Wasm → ImGui + shader) works.
#include "widgets/catalog.h"
#include "widgets/hello/scenario.h"

namespace scalebook::widgets {

WidgetInfo hello_info() {
  return {
      .name = "hello",
      .title = "Hello, widget",
      .aria_label = "An animated wave drawn by a shader, with a control panel.",
      .description = "A minimal widget that proves the pipeline: a GLSL shader draws a moving wave under a Dear ImGui panel.",
      .params = {
          {.name = "speed", .type = ParamType::Float, .default_value = "1", .min = 0.0, .max = 10.0,
           .help = "How fast the wave moves (cycles per second)."},
          {.name = "waves", .type = ParamType::Int, .default_value = "3", .min = 1, .max = 12,
           .help = "How many wave crests fit across the canvas."},
          {.name = "particles", .type = ParamType::Int, .default_value = "0", .min = 0, .max = 100000,
           .help = "How many particles flow across the wave at once (the particle renderer's benchmark).",
           .label = "particles"},
      },
      .actions = {
          {.name = "add-wave", .label = "Add a wave",
           .help = "Adds crests to the wave from this moment on (at most 24 in all).",
           .args = {{.name = "crests", .type = ParamType::Int, .default_value = "1", .min = 1, .max = 6,
                     .help = "How many crests to add."}}},
      },
      .make_scenario = make_hello_scenario,
  };
}

}  // namespace scalebook::widgets
