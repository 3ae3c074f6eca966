// particles.cpp — see particles.h. Sections: layout, lifetime, emission, drawing.
#include "render/particles.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>

#include "render/assets.h"
#include "render/shader.h"

namespace scalebook::render {

// [SECTION] Layout: one instance = 40 bytes, matching shaders/particles.vert.
struct ParticleSystem::Instance {
  float ends[4];            // a_ends
  float timing[4];          // a_timing: start (relative), duration, bend, size
  unsigned char color[4];   // a_color (normalized)
  unsigned char style[4];   // a_style (normalized): ease, hold, fade, ink
};
static_assert(sizeof(float) == 4 && sizeof(unsigned char) == 1, "instance layout");

namespace {
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr std::size_t kDefaultCapacity = 65536;
constexpr std::size_t kInstanceBytes = 40;

unsigned char to_byte(float v) {
  const float c = v < 0 ? 0 : (v > 1 ? 1 : v);
  return static_cast<unsigned char>(std::lround(c * 255.0f));
}
}  // namespace

// [SECTION] Lifetime
ParticleSystem::ParticleSystem(const ParticleSystemDesc& desc) : desc_(desc) {
  static_assert(sizeof(Instance) == kInstanceBytes, "instance layout must match the vertex attributes");
  if (desc_.softness <= 0) desc_.softness = 0.55f;
  set_capacity(desc_.capacity ? desc_.capacity : kDefaultCapacity);
}

ParticleSystem::~ParticleSystem() = default;  // GL objects belong to a context: the owner calls release()

bool ParticleSystem::init() {
  // Old handles are forgotten, not deleted: after a context loss they died with the
  // old context (deleting them would touch the new one). On a live context, the
  // owner calls release() first.
  program_ = vao_ = corner_vbo_ = instance_vbo_ = 0;
  program_ = build_program(text(assets::kShader_particles_vert), text(assets::kShader_particles_frag));
  if (!program_) return false;
  u_now_ = glGetUniformLocation(program_, "u_now");
  u_world_ = glGetUniformLocation(program_, "u_world");
  u_view_px_ = glGetUniformLocation(program_, "u_view_px");
  u_dpr_ = glGetUniformLocation(program_, "u_dpr");
  u_softness_ = glGetUniformLocation(program_, "u_softness");
  u_palette_ = glGetUniformLocation(program_, "u_palette");

  glGenVertexArrays(1, &vao_);
  glGenBuffers(1, &corner_vbo_);
  glGenBuffers(1, &instance_vbo_);
  glBindVertexArray(vao_);
  // Per-vertex corners. WebGL requires at least one non-instanced attribute array.
  static const signed char corners[8] = {-1, -1, 1, -1, -1, 1, 1, 1};
  glBindBuffer(GL_ARRAY_BUFFER, corner_vbo_);
  glBufferData(GL_ARRAY_BUFFER, sizeof corners, corners, GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_BYTE, GL_FALSE, 2, nullptr);

  glBindBuffer(GL_ARRAY_BUFFER, instance_vbo_);
  const auto stride = static_cast<GLsizei>(kInstanceBytes);
  auto at = [](std::size_t offset) { return reinterpret_cast<const void*>(offset); };
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, stride, at(offsetof(Instance, ends)));
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, stride, at(offsetof(Instance, timing)));
  glEnableVertexAttribArray(3);
  glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, at(offsetof(Instance, color)));
  glEnableVertexAttribArray(4);
  glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, at(offsetof(Instance, style)));
  for (GLuint i = 1; i <= 4; ++i) glVertexAttribDivisor(i, 1);
  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);

  gl_capacity_ = 0;  // allocated (and everything uploaded) at the first draw
  return true;
}

void ParticleSystem::release() {
  if (program_) glDeleteProgram(program_);
  if (vao_) glDeleteVertexArrays(1, &vao_);
  if (corner_vbo_) glDeleteBuffers(1, &corner_vbo_);
  if (instance_vbo_) glDeleteBuffers(1, &instance_vbo_);
  program_ = vao_ = corner_vbo_ = instance_vbo_ = 0;
  gl_capacity_ = 0;
}

void ParticleSystem::clear() {
  std::fill(end_s_.begin(), end_s_.end(), -kInf);
  // An empty slot never shows: a start far in the future makes its age negative
  // in the shader (finite: not every GPU keeps infinities in attributes).
  Instance empty{};
  empty.timing[0] = 1e30f;
  for (std::size_t i = 0; i < end_s_.size(); ++i) std::memcpy(&mirror_[i * kInstanceBytes], &empty, kInstanceBytes);
  std::fill(dirty_.begin(), dirty_.end(), 1);
  any_dirty_ = true;
  next_id_ = 0;
  has_epoch_ = false;
  epoch_s_ = 0;
  latest_end_s_ = -kInf;
  last_now_s_ = -kInf;
  dropped_live_ = 0;
}

void ParticleSystem::set_capacity(std::size_t capacity) {
  capacity = std::max<std::size_t>(capacity, 1);
  if (capacity == end_s_.size()) return;
  mirror_.assign(capacity * kInstanceBytes, 0);
  end_s_.assign(capacity, -kInf);
  dirty_.assign((capacity + kChunk - 1) / kChunk, 1);
  clear();
}

// [SECTION] Emission (CPU only: writes the mirror, marks chunks dirty)
void ParticleSystem::write_slot(std::size_t slot, const Particle& p) {
  if (!has_epoch_) {
    has_epoch_ = true;
    epoch_s_ = std::floor(p.start_s);
  }
  Instance in{};
  const float start = static_cast<float>(p.start_s - epoch_s_);
  const float duration = std::max(p.duration_s, 1e-6f);
  in.ends[0] = p.from_x;
  in.ends[1] = p.from_y;
  in.ends[2] = p.to_x;
  in.ends[3] = p.to_y;
  in.timing[0] = start;
  in.timing[1] = duration;
  in.timing[2] = p.bend;
  in.timing[3] = p.size_px;
  in.color[0] = to_byte(p.color.r);
  in.color[1] = to_byte(p.color.g);
  in.color[2] = to_byte(p.color.b);
  in.color[3] = to_byte(p.alpha);
  in.style[0] = p.ease ? 255 : 0;
  in.style[1] = p.hold ? 255 : 0;
  in.style[2] = p.fade ? 255 : 0;
  in.style[3] = static_cast<unsigned char>(p.ink);
  std::memcpy(&mirror_[slot * kInstanceBytes], &in, kInstanceBytes);
  const float end = p.hold ? kInf : start + duration;
  end_s_[slot] = end;
  latest_end_s_ = std::max(latest_end_s_, end);
  mark_dirty(slot);
  any_dirty_ = true;
}

ParticleId ParticleSystem::emit(const Particle& p) {
  const std::size_t slot = static_cast<std::size_t>(next_id_ % end_s_.size());
  // The ring wrapped onto a particle that would still have shown after its replacement starts.
  if (has_epoch_ && end_s_[slot] > std::max(last_now_s_, static_cast<float>(p.start_s - epoch_s_))) ++dropped_live_;
  write_slot(slot, p);
  return next_id_++;
}

void ParticleSystem::emit_many(std::span<const Particle> ps) {
  for (const Particle& p : ps) emit(p);
}

bool ParticleSystem::replace(ParticleId id, const Particle& p) {
  if (id >= next_id_ || next_id_ - id > end_s_.size()) return false;
  write_slot(static_cast<std::size_t>(id % end_s_.size()), p);
  return true;
}

std::size_t ParticleSystem::live_count(double now_s) const {
  if (!has_epoch_) return 0;
  const float now = static_cast<float>(now_s - epoch_s_);
  std::size_t n = 0;
  for (float end : end_s_) n += end > now ? 1 : 0;
  return n;
}

// [SECTION] Drawing
void ParticleSystem::upload() {
  last_upload_bytes_ = 0;
  const std::size_t cap = end_s_.size();
  glBindBuffer(GL_ARRAY_BUFFER, instance_vbo_);
  if (gl_capacity_ != cap) {
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(cap * kInstanceBytes), mirror_.data(), GL_DYNAMIC_DRAW);
    gl_capacity_ = cap;
    last_upload_bytes_ = cap * kInstanceBytes;
    std::fill(dirty_.begin(), dirty_.end(), 0);
  } else if (any_dirty_) {
    // Coalesce runs of dirty chunks into one glBufferSubData each.
    const std::size_t chunks = dirty_.size();
    for (std::size_t c = 0; c < chunks;) {
      if (!dirty_[c]) {
        ++c;
        continue;
      }
      std::size_t e = c;
      while (e < chunks && dirty_[e]) dirty_[e++] = 0;
      const std::size_t first = c * kChunk, last = std::min(e * kChunk, cap);
      const std::size_t bytes = (last - first) * kInstanceBytes;
      glBufferSubData(GL_ARRAY_BUFFER, static_cast<GLintptr>(first * kInstanceBytes), static_cast<GLsizeiptr>(bytes),
                      &mirror_[first * kInstanceBytes]);
      last_upload_bytes_ += bytes;
      c = e;
    }
  }
  any_dirty_ = false;
  glBindBuffer(GL_ARRAY_BUFFER, 0);
}

void ParticleSystem::draw(const ParticleViewport& vp, double now_s) {
  last_upload_bytes_ = 0;
  if (!program_) return;
  const float now = has_epoch_ ? static_cast<float>(now_s - epoch_s_) : 0.0f;
  last_now_s_ = now;
  if (gl_capacity_ != end_s_.size() || any_dirty_) upload();
  const auto used = static_cast<GLsizei>(std::min<std::uint64_t>(next_id_, end_s_.size()));
  if (used == 0 || latest_end_s_ <= now) return;  // nothing can be visible

  const auto vx = static_cast<GLint>(vp.x), vy = static_cast<GLint>(vp.fb_height - vp.y - vp.height);
  const auto vw = static_cast<GLsizei>(vp.width), vh = static_cast<GLsizei>(vp.height);
  glViewport(vx, vy, vw, vh);
  glEnable(GL_SCISSOR_TEST);
  glScissor(vx, vy, vw, vh);
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  if (desc_.additive)
    glBlendFunc(GL_ONE, GL_ONE);
  else
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // premultiplied

  glUseProgram(program_);
  glUniform1f(u_now_, now);
  glUniform4f(u_world_, vp.world_scale_x, vp.world_scale_y, vp.world_offset_x, vp.world_offset_y);
  glUniform2f(u_view_px_, vp.width, vp.height);
  glUniform1f(u_dpr_, vp.dpr);
  glUniform1f(u_softness_, desc_.softness);
  static_assert(sizeof(Palette) == 8 * 3 * sizeof(float), "Palette must be 8 packed RGB triples");
  glUniform3fv(u_palette_, 8, &vp.palette.background.r);
  glBindVertexArray(vao_);
  glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, used);
  glBindVertexArray(0);
  glUseProgram(0);

  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glViewport(0, 0, static_cast<GLsizei>(vp.fb_width), static_cast<GLsizei>(vp.fb_height));
}

}  // namespace scalebook::render
