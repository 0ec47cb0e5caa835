// conv_presets.cpp: the convolution lab's presets. Filters follow the course's sign
// convention (bright-to-dark from left to right gives a positive vertical-edge response).
#include <algorithm>
#include <cmath>

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
  const int c = state->input.rank() == 3 ? state->channels() : 1;
  state->filter = Tensor({1, c, preset.size, preset.size});
  for (int ch = 0; ch < c; ++ch)
    std::copy(preset.values.begin(), preset.values.end(), state->filter.plane(ch));
}

void ApplyInputPreset(const ConvInputPreset& preset, ConvLabState* state) {
  const int c = state->input.dim(0), h = state->input.dim(1), w = state->input.dim(2);
  for (int ch = 0; ch < c; ++ch)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) state->input.at(ch, y, x) = preset.value(y, x, h, w);
}

void SetInputFromImage(const unsigned char* rgba, int w, int h, ConvLabState* state) {
  const int c = state->input.rank() == 3 ? state->channels() : 1;
  state->input = Tensor({c, h, w});
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const unsigned char* px = rgba + (static_cast<size_t>(y) * w + x) * 4;
      const float luma = std::round(0.299f * px[0] + 0.587f * px[1] + 0.114f * px[2]);
      for (int ch = 0; ch < c; ++ch)
        state->input.at(ch, y, x) = c == 3 ? static_cast<float>(px[ch]) : luma;
    }
  }
  if (state->filter.rank() == 4 && state->filter.dim(1) != c)
    state->filter.Resize({state->filters(), c, state->filter.dim(2), state->filter.dim(3)});
}

ConvLabState ConvLabDefault() {
  ConvLabState s;
  s.input = Tensor({1, 6, 6});
  ApplyInputPreset(ConvInputPresets()[0], &s);
  ApplyFilterPreset(ConvFilterPresets()[0], &s);
  return s;
}

std::vector<PresetInfo> ConvLabPresets() {
  std::vector<PresetInfo> out;
  const ConvLabState e9 = ConvLabDefault();
  out.push_back({"conv", "e9-vertical-edge", "E9: vertical edge detection (6x6 image, 3x3 filter)",
                 EncodeConvLab(e9)});
  for (const ConvFilterPreset& f : ConvFilterPresets()) {
    ConvLabState s = e9;
    ApplyFilterPreset(f, &s);
    out.push_back({"conv", std::string("filter-") + f.id,
                   std::string(f.title) + " filter on the E9 image", EncodeConvLab(s)});
  }
  for (const ConvInputPreset& in : ConvInputPresets()) {
    ConvLabState s = e9;
    ApplyInputPreset(in, &s);
    out.push_back({"conv", std::string("input-") + in.id,
                   std::string(in.title) + " image, vertical-edge filter", EncodeConvLab(s)});
  }
  {
    // Two filters, one map each: vertical and horizontal edges of a bright square.
    ConvLabState s = e9;
    s.input = Tensor({1, 8, 8});
    for (int y = 2; y < 6; ++y)
      for (int x = 2; x < 6; ++x) s.input.at(0, y, x) = 10;
    s.filter = Tensor({2, 1, 3, 3});
    std::copy(ConvFilterPresets()[0].values.begin(), ConvFilterPresets()[0].values.end(),
              s.filter.plane(0));
    std::copy(ConvFilterPresets()[1].values.begin(), ConvFilterPresets()[1].values.end(),
              s.filter.plane(1));
    out.push_back({"conv", "two-filters", "Two filters: vertical and horizontal edges of a square",
                   EncodeConvLab(s)});
    s.relu = true;
    s.pool = PoolMode::kMax;
    out.push_back(
        {"conv", "relu-maxpool", "Edges, then ReLU and 2x2 max pooling", EncodeConvLab(s)});
  }
  {
    // RGB: a red left half, a green top half, a blue centre; one filter sums the
    // vertical-edge response of every channel.
    ConvLabState s = e9;
    s.input = Tensor({3, 6, 6});
    for (int y = 0; y < 6; ++y) {
      for (int x = 0; x < 6; ++x) {
        s.input.at(0, y, x) = x < 3 ? 10.0f : 0.0f;
        s.input.at(1, y, x) = y < 3 ? 10.0f : 0.0f;
        s.input.at(2, y, x) = (y >= 2 && y < 4 && x >= 2 && x < 4) ? 10.0f : 0.0f;
      }
    }
    ApplyFilterPreset(ConvFilterPresets()[0], &s);
    out.push_back({"conv", "rgb", "RGB image: one filter across three channels", EncodeConvLab(s)});
  }
  {
    // Transposed convolution: a 2x2 filter of ones, stride 2, upsamples 3x3 to 6x6.
    ConvLabState s = e9;
    s.input = Tensor({1, 3, 3});
    for (int i = 0; i < 9; ++i) s.input[static_cast<size_t>(i)] = static_cast<float>(i + 1);
    s.filter = Tensor({1, 1, 2, 2}, 1.0f);
    s.stride_h = s.stride_w = 2;
    s.transposed = true;
    out.push_back({"conv", "transposed-upsample",
                   "Transposed convolution: stride 2 upsamples 3x3 to 6x6", EncodeConvLab(s)});
  }
  {
    // Per-axis stride and kernel: a 1x5 horizontal-difference filter at stride 2x1.
    ConvLabState s = e9;
    s.input = Tensor({1, 6, 8});
    ApplyInputPreset(ConvInputPresets()[0], &s);
    s.filter = Tensor({1, 1, 1, 5});
    const float taps[] = {1, 1, 0, -1, -1};
    std::copy(taps, taps + 5, s.filter.data());
    s.stride_h = 2, s.stride_w = 1;
    out.push_back({"conv", "stride-2x1-kernel-1x5",
                   "Per-axis stride 2x1 and a 1x5 filter (6x8 image to 3x4)", EncodeConvLab(s)});
    // Asymmetric padding: top 1, bottom 0, left 2, right 1.
    s = e9;
    s.padding = PaddingMode::kExplicit;
    s.pad_top = 1, s.pad_bottom = 0, s.pad_left = 2, s.pad_right = 1;
    out.push_back({"conv", "asymmetric-padding",
                   "Asymmetric padding: 1 top, 0 bottom, 2 left, 1 right", EncodeConvLab(s)});
  }
  {
    // Transposed with output padding: stride 2 maps both 5x5 and 6x6 to 3x3 (3x3 filter,
    // padding 1); output padding 1 picks 6x6.
    ConvLabState s = e9;
    s.input = Tensor({1, 3, 3});
    for (int i = 0; i < 9; ++i) s.input[static_cast<size_t>(i)] = static_cast<float>(i + 1);
    s.filter = Tensor({1, 1, 3, 3}, 1.0f);
    s.transposed = true;
    s.stride_h = s.stride_w = 2;
    s.padding = PaddingMode::kExplicit;
    s.pad_top = s.pad_bottom = s.pad_left = s.pad_right = 1;
    s.out_pad_h = s.out_pad_w = 1;
    out.push_back({"conv", "transposed-output-padding",
                   "Transposed, stride 2, padding 1, output padding 1: 3x3 to 6x6",
                   EncodeConvLab(s)});
  }
  {
    // Depthwise: the RGB-like 3-channel image, one vertical-edge filter per channel.
    ConvLabState s = e9;
    s.input = Tensor({3, 6, 6});
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 6; ++y)
        for (int x = 0; x < 6; ++x)
          s.input.at(c, y, x) = (c == 0 ? x < 3 : c == 1 ? y < 3 : x == y) ? 10.0f : 0.0f;
    s.groups = 3;
    s.filter = Tensor({3, 1, 3, 3});
    for (int o = 0; o < 3; ++o)
      std::copy(ConvFilterPresets()[o == 1 ? 1 : 0].values.begin(),
                ConvFilterPresets()[o == 1 ? 1 : 0].values.end(), s.filter.plane(o));
    out.push_back({"conv", "depthwise",
                   "Depthwise: 3 channels, 3 filters in 3 groups (27 weights, not 81)",
                   EncodeConvLab(s)});
  }
  {
    // Pooling: ceil mode's partial window, padded average, dilated max, global average.
    ConvLabState s = e9;
    s.input = Tensor({1, 7, 7});
    for (int y = 0; y < 7; ++y)
      for (int x = 0; x < 7; ++x) s.input.at(0, y, x) = static_cast<float>((y * 7 + x) % 10);
    s.filter = Tensor({1, 1, 1, 1}, 1.0f);
    s.pool = PoolMode::kMax;
    s.pool_ceil = true;
    out.push_back(
        {"conv", "maxpool-ceil", "Max pooling 2/2 in ceil mode: 7x7 to 4x4", EncodeConvLab(s)});
    s.pool_ceil = false;
    s.pool = PoolMode::kAvg;
    s.pool_kh = s.pool_kw = 3;
    s.pool_pad_h = s.pool_pad_w = 1;
    s.pool_count_pad = false;
    out.push_back({"conv", "avgpool-padding",
                   "Average pooling 3/2 with padding 1, padded cells not counted",
                   EncodeConvLab(s)});
    s.pool = PoolMode::kMax;
    s.pool_count_pad = true;
    s.pool_pad_h = s.pool_pad_w = 0;
    s.pool_kh = s.pool_kw = 2;
    s.pool_sh = s.pool_sw = 1;
    s.pool_dil_h = s.pool_dil_w = 2;
    out.push_back(
        {"conv", "maxpool-dilation", "Max pooling 2x2, stride 1, dilation 2", EncodeConvLab(s)});
    s = e9;
    s.relu = true;
    s.pool = PoolMode::kAdaptiveAvg;
    out.push_back(
        {"conv", "global-average", "Edges, ReLU, then global average pooling", EncodeConvLab(s)});
  }
  return out;
}

}  // namespace nnplay
