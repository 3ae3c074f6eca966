#version 300 es
// Round particles with an anti-aliased, optionally soft edge (premultiplied alpha).
precision mediump float;

in vec2 v_local;
flat in float v_radius;
in vec4 v_color;

uniform float u_softness;  // 0 = crisp disc with a 1 px edge, 1 = fades from the centre out

out vec4 frag_color;

void main() {
  float d = length(v_local);
  float edge = 1.0 - smoothstep(v_radius - 1.0, v_radius + 0.5, d);  // ~1.5 px anti-aliased rim
  float body = 1.0 - u_softness * smoothstep(0.0, v_radius, d);     // soft falloff towards the rim
  float a = edge * body;
  if (a <= 0.002) discard;
  frag_color = v_color * a;
}
