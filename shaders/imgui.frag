#version 300 es
// The font atlas is a single-channel (R8) coverage texture: the vertex colour gives the
// colour, the atlas the coverage. ImGui's solid shapes sample the atlas's white texel.
precision mediump float;

in vec2 v_uv;
in vec4 v_color;

uniform sampler2D u_atlas;

out vec4 frag_color;

void main() {
  frag_color = vec4(v_color.rgb, v_color.a * texture(u_atlas, v_uv).r);
}
