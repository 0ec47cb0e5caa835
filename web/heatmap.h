// Heatmap: turns a grid of floats into a colour texture for ImGui::Image, on the GPU, with the
// diverging colormap of shaders/heatmap.frag (0 grey, positive red, negative blue).
//
//   Heatmap map;
//   map.Upload(values, h, w, absmax);  // re-upload whenever the values change
//   ImGui::Image(map.TextureId(), ImVec2(w * 24.0f, h * 24.0f));
//
// - One texel per cell, sampled NEAREST, so cells stay sharp at any zoom.
// - Row 0 of `values` is drawn at the top.
// - Needs the GL context of the platform layer; use it from AppCallbacks::init/frame.
#pragma once

#include <vector>

#include "imgui.h"

namespace nnplay {

class Heatmap {
 public:
  Heatmap() = default;
  ~Heatmap();
  Heatmap(const Heatmap&) = delete;
  Heatmap& operator=(const Heatmap&) = delete;

  // Colours h x w row-major values; +-absmax are the saturated ends. absmax <= 0 (or NaN) means
  // "the largest |value|" (1 if all are 0). Restores all GL state it touches.
  void Upload(const float* values, int h, int w, float absmax);

  ImTextureID TextureId() const;  // null before the first Upload
  // The colours as last drawn: Height() × Width() RGBA, row 0 (of the values) first.
  std::vector<unsigned char> ReadPixels() const;
  int Height() const { return height_; }
  int Width() const { return width_; }
  float AbsMax() const { return absmax_; }  // the scale last used

 private:
  unsigned values_tex_ = 0;  // R32F
  unsigned color_tex_ = 0;   // RGBA8, the render target
  unsigned fbo_ = 0;
  unsigned vao_ = 0;  // empty: the quad comes from gl_VertexID
  int height_ = 0;
  int width_ = 0;
  float absmax_ = 1.0f;
};

}  // namespace nnplay
