#version 300 es
// Instanced particles (src/render/particles.cpp): one quad per particle, its
// position computed here from the particle's path, timing and the time uniform,
// so the CPU uploads a particle once, when it is emitted.
//
// Path: a quadratic Bézier from `from` to `to` whose control point sits at the
// chord's midpoint pushed sideways by bend × chord length (bend > 0 bows to
// the left of travel in a y-down world, 0 is a straight line).
precision highp float;

layout(location = 0) in vec2 a_corner;   // per vertex: quad corner in [-1, 1]²
layout(location = 1) in vec4 a_ends;     // per particle: from.xy, to.xy (world units)
layout(location = 2) in vec4 a_timing;   // per particle: start (s, relative to the epoch), duration (s), bend, size (CSS px)
layout(location = 3) in vec4 a_color;    // per particle: straight-alpha RGBA, normalized bytes
layout(location = 4) in vec4 a_style;    // per particle: ease, hold at target, fade in/out (0 or 1); ink / 255

uniform float u_now;       // seconds since the epoch, same clock as a_timing.x
uniform vec4 u_world;      // world → view px: scale.xy, offset.xy (view px, origin top-left, y down)
uniform vec2 u_view_px;    // view rectangle size in framebuffer pixels
uniform float u_dpr;       // device pixel ratio: CSS px → framebuffer px
uniform vec3 u_palette[8]; // theme: background, surface, text, muted, accent, good, warn, bad

out vec2 v_local;          // position inside the quad in framebuffer px from its centre
flat out float v_radius;   // disc radius in framebuffer px
out vec4 v_color;          // premultiplied colour

void main() {
  float age = u_now - a_timing.x;
  float dur = max(a_timing.y, 1e-6);
  float u = age / dur;
  bool hold = a_style.y > 0.5;
  if (age < 0.0 || (u >= 1.0 && !hold)) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // not alive: outside the clip volume
    v_local = vec2(0.0);
    v_radius = 0.0;
    v_color = vec4(0.0);
    return;
  }
  u = clamp(u, 0.0, 1.0);
  float s = a_style.x > 0.5 ? u * u * (3.0 - 2.0 * u) : u;

  vec2 a = a_ends.xy, b = a_ends.zw;
  vec2 chord = b - a;
  vec2 c = 0.5 * (a + b) + vec2(chord.y, -chord.x) * a_timing.z;
  float r = 1.0 - s;
  vec2 world = r * r * a + 2.0 * r * s * c + s * s * b;
  vec2 centre_px = world * u_world.xy + u_world.zw;

  // Diameter in framebuffer px. Below 1.5 px a disc shimmers as it moves:
  // draw it at 1.5 px and dim it by the lost area instead.
  float diameter = a_timing.w * u_dpr;
  float coverage = 1.0;
  if (diameter < 1.5) {
    coverage = (diameter * diameter) / 2.25;
    diameter = 1.5;
  }
  float radius = 0.5 * diameter;
  float half_quad = radius + 1.0;  // one px of margin for the anti-aliased edge
  vec2 px = centre_px + a_corner * half_quad;

  float alpha = a_color.a * coverage;
  if (a_style.z > 0.5 && !(hold && u >= 1.0)) alpha *= smoothstep(0.0, 0.08, u) * (1.0 - smoothstep(0.9, 1.0, u));

  vec2 ndc = px / u_view_px * 2.0 - 1.0;
  gl_Position = vec4(ndc.x, -ndc.y, 0.0, 1.0);
  v_local = a_corner * half_quad;
  v_radius = radius;
  int ink = int(a_style.w * 255.0 + 0.5);  // 0 = custom colour, 1..8 = palette entry
  vec3 rgb = ink > 0 ? u_palette[min(ink, 8) - 1] : a_color.rgb;
  v_color = vec4(rgb * alpha, alpha);
}
