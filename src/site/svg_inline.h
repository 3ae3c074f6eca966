// svg_inline.h — inline a local SVG figure into the page so `currentColor`
// follows the theme. The SVG is ours but is still sanitised: no scripts, no
// foreignObject, no event handlers, no javascript: URLs; ids are prefixed so two
// figures on one page cannot clash.
#pragma once
#include <string>
#include <string_view>

namespace scalebook::site {

// Returns the sanitised <svg …>…</svg> with role="img" and aria-label=alt.
// `id_prefix` is prepended to every id and #reference inside the SVG.
std::string sanitize_svg(std::string_view svg, std::string_view alt, std::string_view id_prefix);

}  // namespace scalebook::site
