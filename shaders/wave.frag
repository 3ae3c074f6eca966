#version 300 es
// The hello widget's background: layered sine waves, theme-aware colours.
precision highp float;
in vec2 v_uv;
uniform float u_time;      // seconds of simulated time
uniform float u_waves;     // crests across the canvas
uniform vec3 u_bg;         // page background
uniform vec3 u_accent;     // accent colour
uniform vec2 u_resolution; // backing-store pixels
out vec4 frag_color;
void main() {
  float x = v_uv.x * u_waves * 6.2831853;
  float y = v_uv.y;
  float a = 0.0;
  for (int i = 0; i < 3; ++i) {
    float fi = float(i);
    float h = 0.5 + 0.18 * sin(x + u_time * (1.0 + 0.35 * fi) + fi * 1.7) / (1.0 + fi * 0.6);
    float d = abs(y - h) * u_resolution.y;
    a += (1.0 - smoothstep(1.0, 3.0 + fi, d)) * (0.9 - 0.25 * fi);
    a += 0.10 * step(y, h) * (0.6 - 0.2 * fi);
  }
  frag_color = vec4(mix(u_bg, u_accent, clamp(a, 0.0, 1.0)), 1.0);
}
