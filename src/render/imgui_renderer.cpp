#include "render/imgui_renderer.h"

#include <imgui.h>

#include <cstddef>
#include <cstdint>

#include "render/assets.h"
#include "render/shader.h"

namespace scalebook::render {

bool ImGuiRenderer::init() {
  program_ = build_program(text(assets::kShader_imgui_vert), text(assets::kShader_imgui_frag));
  if (!program_) return false;
  u_scale_ = glGetUniformLocation(program_, "u_scale");
  u_atlas_ = glGetUniformLocation(program_, "u_atlas");
  glGenVertexArrays(1, &vao_);
  glGenBuffers(1, &vbo_);
  glGenBuffers(1, &ebo_);
  vbo_capacity_ = ebo_capacity_ = 0;
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo_);  // recorded in the VAO
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  bind_vertex_layout(0);
  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);

  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "scalebook_webgl2";
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // > 64k vertices per list
  upload_fonts();
  return true;
}

// Attribute pointers into the bound VBO, starting `vertex_offset` vertices in: WebGL2
// has no glDrawElementsBaseVertex, so a command's VtxOffset moves the pointers instead.
void ImGuiRenderer::bind_vertex_layout(unsigned vertex_offset) {
  const auto base = static_cast<std::uintptr_t>(vertex_offset) * sizeof(ImDrawVert);
  const auto stride = static_cast<GLsizei>(sizeof(ImDrawVert));
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<const void*>(base + offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<const void*>(base + offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        reinterpret_cast<const void*>(base + offsetof(ImDrawVert, col)));
}

void ImGuiRenderer::upload_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  if (!font_) glGenTextures(1, &font_);
  glBindTexture(GL_TEXTURE_2D, font_);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);  // rows of an R8 atlas need not be 4-byte aligned
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glBindTexture(GL_TEXTURE_2D, 0);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(font_)));
  io.Fonts->ClearTexData();  // the CPU copy is no longer needed
}

void ImGuiRenderer::render(const ImDrawData* data, int fb_width, int fb_height) {
  last_upload_bytes_ = 0;
  if (!program_ || !data || fb_width <= 0 || fb_height <= 0 || data->TotalVtxCount == 0) return;

  glViewport(0, 0, fb_width, fb_height);
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glUseProgram(program_);
  glUniform1i(u_atlas_, 0);
  // ImGui positions are framebuffer pixels from DisplayPos (io.DisplayFramebufferScale is 1).
  const ImVec2 off = data->DisplayPos;
  glUniform2f(u_scale_, 2.0f / data->DisplaySize.x, -2.0f / data->DisplaySize.y);
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);

  const GLenum index_type = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
  GLuint bound_texture = 0;
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    const long vbytes = static_cast<long>(list->VtxBuffer.Size) * static_cast<long>(sizeof(ImDrawVert));
    const long ibytes = static_cast<long>(list->IdxBuffer.Size) * static_cast<long>(sizeof(ImDrawIdx));
    // Grow-only buffers; each list's data replaces the previous list's (the draws of a
    // list complete before the next upload in GL's command order).
    if (vbytes > vbo_capacity_) {
      vbo_capacity_ = vbytes + vbytes / 2;
      glBufferData(GL_ARRAY_BUFFER, vbo_capacity_, nullptr, GL_STREAM_DRAW);
    }
    if (ibytes > ebo_capacity_) {
      ebo_capacity_ = ibytes + ibytes / 2;
      glBufferData(GL_ELEMENT_ARRAY_BUFFER, ebo_capacity_, nullptr, GL_STREAM_DRAW);
    }
    glBufferSubData(GL_ARRAY_BUFFER, 0, vbytes, list->VtxBuffer.Data);
    glBufferSubData(GL_ELEMENT_ARRAY_BUFFER, 0, ibytes, list->IdxBuffer.Data);
    last_upload_bytes_ += vbytes + ibytes;

    unsigned vertex_offset = 0;
    bind_vertex_layout(0);
    for (int c = 0; c < list->CmdBuffer.Size; ++c) {
      const ImDrawCmd& cmd = list->CmdBuffer[c];
      if (cmd.UserCallback) {
        // ImDrawCallback_ResetRenderState needs nothing: this renderer re-sets no cached
        // state between commands. Other callbacks are not used by Scalebook's views.
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const float x0 = cmd.ClipRect.x - off.x, y0 = cmd.ClipRect.y - off.y;
      const float x1 = cmd.ClipRect.z - off.x, y1 = cmd.ClipRect.w - off.y;
      if (x1 <= x0 || y1 <= y0 || cmd.ElemCount == 0) continue;
      glScissor(static_cast<GLint>(x0), static_cast<GLint>(static_cast<float>(fb_height) - y1),
                static_cast<GLsizei>(x1 - x0), static_cast<GLsizei>(y1 - y0));
      const auto tex = static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(cmd.TextureId));
      if (tex != bound_texture) {
        glBindTexture(GL_TEXTURE_2D, tex);
        bound_texture = tex;
      }
      if (cmd.VtxOffset != vertex_offset) {
        vertex_offset = cmd.VtxOffset;
        bind_vertex_layout(vertex_offset);
      }
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount), index_type,
                     reinterpret_cast<const void*>(static_cast<std::uintptr_t>(cmd.IdxOffset) * sizeof(ImDrawIdx)));
    }
  }

  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  glBindTexture(GL_TEXTURE_2D, 0);
  glUseProgram(0);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_BLEND);
}

void ImGuiRenderer::shutdown(bool context_lost) {
  if (!context_lost) {
    if (font_) glDeleteTextures(1, &font_);
    if (vbo_) glDeleteBuffers(1, &vbo_);
    if (ebo_) glDeleteBuffers(1, &ebo_);
    if (vao_) glDeleteVertexArrays(1, &vao_);
    if (program_) glDeleteProgram(program_);
  }
  font_ = vbo_ = ebo_ = vao_ = program_ = 0;
  vbo_capacity_ = ebo_capacity_ = 0;
  if (ImGui::GetCurrentContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->SetTexID(nullptr);
    io.BackendRendererName = nullptr;
    io.BackendFlags &= ~ImGuiBackendFlags_RendererHasVtxOffset;
  }
}

}  // namespace scalebook::render
