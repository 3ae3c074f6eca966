// palette.h — the light/dark colours every widget draws with (follows the page theme).
#pragma once

namespace scalebook::render {

struct Rgb {
  float r, g, b;
};

struct Palette {
  Rgb background, surface, text, muted, accent, good, warn, bad;
};

inline Palette palette(bool dark) {
  if (dark)
    return {{0.08f, 0.09f, 0.11f}, {0.13f, 0.14f, 0.17f}, {0.90f, 0.91f, 0.93f}, {0.60f, 0.63f, 0.68f},
            {0.38f, 0.60f, 0.98f}, {0.20f, 0.78f, 0.55f}, {0.96f, 0.68f, 0.20f}, {0.95f, 0.38f, 0.38f}};
  return {{1.00f, 1.00f, 1.00f}, {0.95f, 0.96f, 0.97f}, {0.10f, 0.11f, 0.13f}, {0.40f, 0.43f, 0.48f},
          {0.15f, 0.39f, 0.92f}, {0.02f, 0.59f, 0.41f}, {0.85f, 0.47f, 0.02f}, {0.86f, 0.15f, 0.15f}};
}

}  // namespace scalebook::render
