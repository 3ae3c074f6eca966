// assets.h — files embedded into the bundle at build time (see src/render/CMakeLists.txt):
// every shader in shaders/ (as kShader_<file_name>, NUL-terminated) and the UI font subset.
#pragma once

namespace scalebook::render::assets {
extern const unsigned char kUiFont[];
extern const unsigned kUiFont_size;
extern const unsigned char kShader_fullscreen_vert[];
extern const unsigned kShader_fullscreen_vert_size;
extern const unsigned char kShader_wave_frag[];
extern const unsigned kShader_wave_frag_size;
extern const unsigned char kShader_particles_vert[];
extern const unsigned kShader_particles_vert_size;
extern const unsigned char kShader_particles_frag[];
extern const unsigned kShader_particles_frag_size;
extern const unsigned char kShader_imgui_vert[];
extern const unsigned kShader_imgui_vert_size;
extern const unsigned char kShader_imgui_frag[];
extern const unsigned kShader_imgui_frag_size;
}  // namespace scalebook::render::assets
