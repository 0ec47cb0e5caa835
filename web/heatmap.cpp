// Heatmap: R32F value texture -> shaders/heatmap.frag -> RGBA8 texture, drawn by ImGui.
#include "heatmap.h"

#include <GLES3/gl3.h>

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "embedded_shaders.h"

namespace nnplay {
namespace {

GLuint CompileShader(GLenum type, const char* source) {
  GLuint shader = glCreateShader(type);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024] = "";
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    std::fprintf(stderr, "heatmap: shader compile failed: %s\n", log);
  }
  return shader;
}

// One program shared by all heatmaps, built on first use and kept for the page's lifetime.
struct Program {
  GLuint id = 0;
  GLint values = -1;
  GLint absmax = -1;
};

const Program& GetProgram() {
  static Program program = [] {
    Program p;
    GLuint vs = CompileShader(GL_VERTEX_SHADER, shaders::kHeatmapVert);
    GLuint fs = CompileShader(GL_FRAGMENT_SHADER, shaders::kHeatmapFrag);
    p.id = glCreateProgram();
    glAttachShader(p.id, vs);
    glAttachShader(p.id, fs);
    glLinkProgram(p.id);
    glDeleteShader(vs);  // flagged; freed with the program
    glDeleteShader(fs);
    GLint ok = GL_FALSE;
    glGetProgramiv(p.id, GL_LINK_STATUS, &ok);
    if (!ok) {
      char log[1024] = "";
      glGetProgramInfoLog(p.id, sizeof log, nullptr, log);
      std::fprintf(stderr, "heatmap: program link failed: %s\n", log);
    }
    p.values = glGetUniformLocation(p.id, "u_values");
    p.absmax = glGetUniformLocation(p.id, "u_absmax");
    return p;
  }();
  return program;
}

void SetNearestClamp() {
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);  // R32F is not filterable
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

// Everything Upload() changes, restored on scope exit so that callers (and ImGui's renderer,
// which caches nothing but still expects a sane state) never notice.
class SavedGlState {
 public:
  SavedGlState() {
    glGetIntegerv(GL_VIEWPORT, viewport_);
    glGetIntegerv(GL_CURRENT_PROGRAM, &program_);
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_fbo_);
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_fbo_);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vao_);
    glGetIntegerv(GL_ACTIVE_TEXTURE, &active_texture_);
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture0_);
    glGetIntegerv(GL_PIXEL_UNPACK_BUFFER_BINDING, &unpack_buffer_);
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &unpack_alignment_);
    for (int i = 0; i < kCaps; ++i) enabled_[i] = glIsEnabled(kCapList[i]);
  }
  ~SavedGlState() {
    glViewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
    glUseProgram(program_);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, draw_fbo_);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, read_fbo_);
    glBindVertexArray(vao_);
    glBindTexture(GL_TEXTURE_2D, texture0_);
    glActiveTexture(active_texture_);
    glBindBuffer(GL_PIXEL_UNPACK_BUFFER, unpack_buffer_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, unpack_alignment_);
    for (int i = 0; i < kCaps; ++i) {
      enabled_[i] ? glEnable(kCapList[i]) : glDisable(kCapList[i]);
    }
  }
  SavedGlState(const SavedGlState&) = delete;
  SavedGlState& operator=(const SavedGlState&) = delete;

  // Capabilities the pass must have off; disabled by the caller after saving.
  static constexpr int kCaps = 5;
  static constexpr GLenum kCapList[kCaps] = {GL_BLEND, GL_SCISSOR_TEST, GL_DEPTH_TEST,
                                             GL_STENCIL_TEST, GL_CULL_FACE};

 private:
  GLint viewport_[4] = {};
  GLint program_ = 0, draw_fbo_ = 0, read_fbo_ = 0, vao_ = 0;
  GLint active_texture_ = GL_TEXTURE0, texture0_ = 0, unpack_buffer_ = 0, unpack_alignment_ = 4;
  GLboolean enabled_[kCaps] = {};
};

}  // namespace

Heatmap::~Heatmap() {
  glDeleteFramebuffers(1, &fbo_);  // deleting name 0 is a no-op
  glDeleteTextures(1, &values_tex_);
  glDeleteTextures(1, &color_tex_);
  glDeleteVertexArrays(1, &vao_);
}

ImTextureID Heatmap::TextureId() const {
  return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(color_tex_));
}

void Heatmap::Upload(const float* values, int h, int w, float absmax) {
  if (!values || h <= 0 || w <= 0) return;
  if (!(absmax > 0.0f)) {
    absmax = 0.0f;
    for (int i = 0; i < h * w; ++i) {
      if (std::isfinite(values[i])) absmax = std::fmax(absmax, std::fabs(values[i]));
    }
    if (absmax == 0.0f) absmax = 1.0f;
  }
  absmax_ = absmax;

  const Program& program = GetProgram();
  SavedGlState saved;
  for (GLenum cap : SavedGlState::kCapList) glDisable(cap);
  glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);

  if (!fbo_) {
    glGenTextures(1, &values_tex_);
    glGenTextures(1, &color_tex_);
    glGenFramebuffers(1, &fbo_);
    glGenVertexArrays(1, &vao_);
  }
  const bool resized = h != height_ || w != width_;
  height_ = h;
  width_ = w;

  glBindTexture(GL_TEXTURE_2D, values_tex_);
  if (resized) {
    SetNearestClamp();
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, w, h, 0, GL_RED, GL_FLOAT, values);
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RED, GL_FLOAT, values);
  }

  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  if (resized) {
    glBindTexture(GL_TEXTURE_2D, color_tex_);
    SetNearestClamp();
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, color_tex_, 0);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
      std::fprintf(stderr, "heatmap: framebuffer incomplete\n");
    }
    glBindTexture(GL_TEXTURE_2D, values_tex_);
  }

  glViewport(0, 0, w, h);
  glUseProgram(program.id);
  glUniform1i(program.values, 0);
  glUniform1f(program.absmax, absmax);
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
}

std::vector<unsigned char> Heatmap::ReadPixels() const {
  if (!fbo_ || width_ <= 0 || height_ <= 0) return {};
  GLint read_fbo = 0, pack_alignment = 4;
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_fbo);
  glGetIntegerv(GL_PACK_ALIGNMENT, &pack_alignment);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  // The pass draws value row 0 into framebuffer row 0, which glReadPixels returns first.
  std::vector<unsigned char> pixels(static_cast<size_t>(width_) * height_ * 4);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  glPixelStorei(GL_PACK_ALIGNMENT, pack_alignment);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(read_fbo));
  return pixels;
}

}  // namespace nnplay
