// conv_presets.cpp: the convolution lab's presets. Filters follow the course's sign
// convention (bright-to-dark from left to right gives a positive vertical-edge response).
#include <algorithm>

#include "labs/conv_lab.h"

namespace nnplay {

const std::vector<ConvFilterPreset>& ConvFilterPresets() {
  static const std::vector<ConvFilterPreset> presets = {
      {"vertical-edge", "Vertical edge", 3, {1, 0, -1, 1, 0, -1, 1, 0, -1}},
      {"horizontal-edge", "Horizontal edge", 3, {1, 1, 1, 0, 0, 0, -1, -1, -1}},
      {"sobel-x", "Sobel x", 3, {1, 0, -1, 2, 0, -2, 1, 0, -1}},
      {"sobel-y", "Sobel y", 3, {1, 2, 1, 0, 0, 0, -1, -2, -1}},
      {"laplacian", "Laplacian", 3, {0, 1, 0, 1, -4, 1, 0, 1, 0}},
      {"box-blur", "Box blur", 3, std::vector<float>(9, 1.0f / 9.0f)},
      {"sharpen", "Sharpen", 3, {0, -1, 0, -1, 5, -1, 0, -1, 0}},
      {"identity", "Identity", 3, {0, 0, 0, 0, 1, 0, 0, 0, 0}},
  };
  return presets;
}

const std::vector<ConvInputPreset>& ConvInputPresets() {
  static const std::vector<ConvInputPreset> presets = {
      {"vertical-edge", "Vertical edge (E9)",
       [](int, int x, int, int w) { return x < (w + 1) / 2 ? 10.0f : 0.0f; }},
      {"horizontal-edge", "Horizontal edge",
       [](int y, int, int h, int) { return y < (h + 1) / 2 ? 10.0f : 0.0f; }},
      {"diagonal", "Diagonal line", [](int y, int x, int, int) { return x == y ? 10.0f : 0.0f; }},
      {"checkerboard", "Checkerboard",
       [](int y, int x, int, int) { return (x + y) % 2 == 0 ? 10.0f : 0.0f; }},
      {"bright-pixel", "Single bright pixel",
       [](int y, int x, int h, int w) { return y == h / 2 && x == w / 2 ? 10.0f : 0.0f; }},
  };
  return presets;
}

void ApplyFilterPreset(const ConvFilterPreset& preset, ConvLabState* state) {
  state->filter = Tensor({preset.size, preset.size});
  std::copy(preset.values.begin(), preset.values.end(), state->filter.data());
}

void ApplyInputPreset(const ConvInputPreset& preset, ConvLabState* state) {
  const int h = state->input.dim(0), w = state->input.dim(1);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) state->input.at(y, x) = preset.value(y, x, h, w);
}

ConvLabState ConvLabDefault() {
  ConvLabState s;
  s.input = Tensor({6, 6});
  ApplyInputPreset(ConvInputPresets()[0], &s);
  ApplyFilterPreset(ConvFilterPresets()[0], &s);
  return s;
}

}  // namespace nnplay
