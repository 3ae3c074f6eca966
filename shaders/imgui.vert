#version 300 es
// Dear ImGui's vertices (position in framebuffer pixels, font-atlas UV, RGBA8 colour)
// mapped to clip space. Used by src/render/imgui_renderer.cpp.
precision highp float;

layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;  // normalised from RGBA8

uniform vec2 u_scale;  // 2 / framebuffer size, y flipped

out vec2 v_uv;
out vec4 v_color;

void main() {
  v_uv = a_uv;
  v_color = a_color;
  gl_Position = vec4(a_pos * u_scale + vec2(-1.0, 1.0), 0.0, 1.0);
}
