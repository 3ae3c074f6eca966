// imgui_renderer.h — draws Dear ImGui's draw lists with WebGL2 (GLSL ES 3.00 in
// shaders/imgui.*), replacing ImGui 1.86's imgui_impl_opengl3 backend.
//
// Why our own: the stock backend backs up and restores the GL state around every frame
// with ~20 glGet* calls (program, texture, buffers, viewport, scissor box, blend
// functions…). In WebGL every glGet of state is a synchronous round trip to the GPU
// process; in Chromium it stalls the frame (measured: milliseconds per frame, seconds
// under SwiftShader on a loaded machine). This renderer never reads GL state: it sets
// everything it relies on before drawing and leaves a documented state behind.
//
// State on return from render(): blend and scissor disabled, no program, VAO, array
// buffer or texture bound; viewport = the whole framebuffer. Views draw before ImGui
// (view.h) and set their own state (e.g. ParticleSystem::draw), so nothing is assumed.
//
// One instance per GL context (a WidgetHost owns one): GL objects are per context.
// The font atlas is uploaded as a single-channel R8 texture (a quarter of RGBA32).
#pragma once
#include <GLES3/gl3.h>

struct ImDrawData;

namespace scalebook::render {

class ImGuiRenderer {
 public:
  // Creates the program, buffers and the font texture of the current ImGui context.
  // Returns false (and stays unusable) when the program does not build.
  bool init();
  // Rebuilds the font texture after io.Fonts changed (e.g. a new device pixel ratio).
  void upload_fonts();
  void render(const ImDrawData* data, int fb_width, int fb_height);
  // Deletes the GL objects. With context_lost the objects are already gone with the
  // context and only the handles are forgotten.
  void shutdown(bool context_lost);
  bool ready() const { return program_ != 0; }
  // Bytes uploaded by the last render() (vertices + indices), for the performance report.
  long last_upload_bytes() const { return last_upload_bytes_; }

 private:
  GLuint program_ = 0, vao_ = 0, vbo_ = 0, ebo_ = 0, font_ = 0;
  GLint u_scale_ = -1, u_atlas_ = -1;
  long vbo_capacity_ = 0, ebo_capacity_ = 0;
  long last_upload_bytes_ = 0;
  void bind_vertex_layout(unsigned vertex_offset);
};

}  // namespace scalebook::render
