// particles.h — an instanced particle renderer for WebGL2 / GLSL ES 3.00.
//
// What it draws: round, soft-edged dots that travel from a source point to a
// target point along a quadratic Bézier (straight or bowed), each with its own
// start time, duration, colour and size. Keys moving between shards, posts
// fanning out to followers, requests flowing to a limiter.
//
// How it stays cheap with 100k live particles:
//  - Positions are computed on the GPU (shaders/particles.vert) from per-particle
//    attributes and one time uniform. A particle is uploaded once, when emitted;
//    moving all of them costs the CPU one uniform and one draw call per frame.
//  - Particles live in a ring buffer of `capacity` slots (the CPU keeps a mirror).
//    emit() writes the next slot (overwriting the oldest emitted particle when
//    the ring is full) and marks its 256-slot chunk dirty; draw() uploads only
//    the dirty chunks with glBufferSubData, coalesced into contiguous ranges.
//  - One quad per particle (4-vertex triangle strip, instanced), not GL_POINTS:
//    ANGLE/SwiftShader and many mobile GPUs cap gl_PointSize.
//
// Invariants:
//  - The CPU mirror is the source of truth: release() frees only GL objects and
//    keeps the particles, so after context loss init() + draw() re-uploads them
//    and the animation carries on where it was.
//  - Colours are theme-palette entries (Ink) resolved at draw time from
//    ParticleViewport::palette, so a light/dark switch recolours particles in
//    flight with no upload; Ink::Custom uses the particle's own RGB.
//  - Sizes are in CSS pixels and multiplied by the device pixel ratio at draw,
//    so a 3 px dot is 3 px on a 1× screen and 6 framebuffer px on a 2× one.
//  - A particle is visible while start_s <= now < start_s + duration_s (and
//    forever after arrival when `hold` is set, until overwritten or cleared);
//    emitting with a future start_s schedules it.
//  - Drawing order is slot order (no depth sorting): later emits paint over
//    earlier ones, except across the ring's wrap point.
//
// Not done here: per-particle updates after emission other than replace(),
// sorting, depth, textures, trails. Times are stored as float seconds relative
// to an epoch fixed at the first emit after clear(): keep one widget's particle
// clock within ~10^5 s of that (float precision ~ 8 ms there), or clear().
//
// Usage (from a WidgetView):
//   configure: ps.set_capacity(n);  ps.clear();
//   gl_init:   ps.init();             gl_release: ps.release();
//   advance:   ps.emit({...});        (no GL calls: fine before init())
//   draw:      ps.draw(viewport, now_s);   // before ImGui submits
#pragma once
#include <GLES3/gl3.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "render/palette.h"

namespace scalebook::render {

// A colour from the theme palette, resolved at draw time (so a theme switch
// recolours particles already in flight without re-uploading them), or Custom.
enum class Ink : unsigned char { Custom = 0, Background, Surface, Text, Muted, Accent, Good, Warn, Bad };

struct Particle {
  float from_x = 0, from_y = 0;  // world units (see ParticleViewport::world_*)
  float to_x = 0, to_y = 0;
  double start_s = 0;            // on the caller's particle clock (same as draw's now_s)
  float duration_s = 1;          // travel time from `from` to `to`
  float bend = 0;                // control point offset perpendicular to the chord, in chord lengths
  float size_px = 3;             // diameter in CSS pixels
  Ink ink = Ink::Accent;         // palette colour; Ink::Custom uses `color`
  Rgb color{0.15f, 0.39f, 0.92f};
  float alpha = 1;
  bool ease = true;              // smoothstep along the path (false: constant speed)
  bool fade = true;              // fade in over the first 8% and out over the last 10% of the trip
  bool hold = false;             // stay at `to` after arriving
};

// Where and how to draw: the view rectangle in framebuffer pixels (origin top
// left, y down, as widgets::Frame) and the world → view-pixel mapping
// px = world * scale + offset (offset relative to the view's top-left corner).
struct ParticleViewport {
  float x = 0, y = 0, width = 1, height = 1;
  float fb_width = 1, fb_height = 1;
  float dpr = 1;
  float world_scale_x = 1, world_scale_y = 1;
  float world_offset_x = 0, world_offset_y = 0;
  Palette palette = render::palette(false);  // resolves Particle::ink
};

struct ParticleSystemDesc {
  std::size_t capacity = 0;   // slots; 0 = 65536
  float softness = 0;         // 0 = default 0.55; edge profile, see shaders/particles.frag
  bool additive = false;      // additive blending (glows on dark backgrounds)
};

// A particle's handle: its emission sequence number (valid until overwritten).
using ParticleId = std::uint64_t;

class ParticleSystem {
 public:
  explicit ParticleSystem(const ParticleSystemDesc& desc = {});
  ~ParticleSystem();
  ParticleSystem(const ParticleSystem&) = delete;
  ParticleSystem& operator=(const ParticleSystem&) = delete;

  // (Re)creates the GL objects (program, buffers, vertex array) in the current
  // context: at start, after release(), and after a context loss (where release()
  // is not needed: the old objects are simply forgotten). Returns false if the
  // shaders failed.
  bool init();
  // Frees GL objects only; particles are kept (see invariants).
  void release();
  bool ready() const { return program_ != 0; }

  // Drops every particle (and resets the time epoch). No GL calls.
  void clear();
  // Changes the ring size; drops every particle when it changes. No GL calls
  // (the GL buffer is reallocated at the next draw).
  void set_capacity(std::size_t capacity);
  std::size_t capacity() const { return end_s_.size(); }

  ParticleId emit(const Particle& p);
  void emit_many(std::span<const Particle> ps);
  // Rewrites a particle still in the ring (e.g. retarget a moving key);
  // returns false if it was already overwritten.
  bool replace(ParticleId id, const Particle& p);

  // Draws every visible particle into the viewport (sets viewport, scissor and
  // blending, and restores the full-framebuffer viewport and blend-off state).
  // Uploads dirty chunks first. Nothing happens before init().
  void draw(const ParticleViewport& vp, double now_s);

  // Particles not yet finished at now_s (in flight, scheduled, or holding).
  // O(capacity) scan of a float array: call on demand, not every frame.
  std::size_t live_count(double now_s) const;
  std::uint64_t emitted_total() const { return next_id_; }
  // Particles overwritten while still unfinished (ring too small): their end was later
  // than both the last draw's time and their replacement's start.
  std::uint64_t dropped_live() const { return dropped_live_; }
  // Bytes uploaded by the last draw (0 when nothing changed): the per-frame CPU→GPU cost.
  std::size_t last_upload_bytes() const { return last_upload_bytes_; }

 private:
  struct Instance;  // GPU layout, 40 bytes
  static constexpr std::size_t kChunk = 256;

  void write_slot(std::size_t slot, const Particle& p);
  void mark_dirty(std::size_t slot) { dirty_[slot / kChunk] = 1; }
  void upload();

  ParticleSystemDesc desc_;
  std::vector<unsigned char> mirror_;  // capacity × sizeof(Instance)
  std::vector<float> end_s_;           // per slot: end time relative to epoch (+inf if holding, -inf if empty)
  std::vector<unsigned char> dirty_;   // per chunk
  bool any_dirty_ = false;
  std::uint64_t next_id_ = 0;          // emission sequence number of the next particle
  bool has_epoch_ = false;
  double epoch_s_ = 0;
  float latest_end_s_ = -1e30f;        // max end over the ring (relative), +inf with a holder
  float last_now_s_ = -1e30f;          // relative time of the last draw
  std::uint64_t dropped_live_ = 0;
  std::size_t last_upload_bytes_ = 0;

  GLuint program_ = 0, vao_ = 0, corner_vbo_ = 0, instance_vbo_ = 0;
  std::size_t gl_capacity_ = 0;        // slots allocated in instance_vbo_
  GLint u_now_ = -1, u_world_ = -1, u_view_px_ = -1, u_dpr_ = -1, u_softness_ = -1, u_palette_ = -1;
};

}  // namespace scalebook::render
