// shader.h — GLSL ES 3.00 programs built from the embedded sources in shaders/.
#pragma once
#include <GLES3/gl3.h>

namespace scalebook::render {

// Compiles and links a program; returns 0 and prints the info log on failure.
GLuint build_program(const char* vertex_src, const char* fragment_src);

inline const char* text(const unsigned char* embedded) { return reinterpret_cast<const char*>(embedded); }

}  // namespace scalebook::render
