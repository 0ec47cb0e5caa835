// conv_lab.h: the convolution lab's model. State (an input image, a filter, padding,
// stride, dilation) → result (the output feature map, the resolved padding, the output
// size formula) and, for any output cell, the arithmetic that produced it.
//
// The view in web/ only draws what this computes. Limits below are the UI's and the
// share link's: the decoder rejects anything outside them before allocating.
//
// Presets for this lab live in conv_presets.cpp, beside the math.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernels/conv2d.h"
#include "link/link.h"
#include "tensor.h"

namespace nnplay {

enum class PaddingMode { kValid, kSame, kExplicit };

struct ConvLabLimits {
  static constexpr int kMinInput = 1, kMaxInput = 64;   // per side
  static constexpr int kMinFilter = 1, kMaxFilter = 7;  // per side
  static constexpr int kMaxPad = 3;
  static constexpr int kMaxStride = 4;
  static constexpr int kMaxDilation = 3;
};

struct ConvLabState {
  Tensor input;   // [H, W]
  Tensor filter;  // [KH, KW]
  PaddingMode padding = PaddingMode::kValid;
  int pad = 0;       // used when padding == kExplicit
  int stride = 1;    // both axes
  int dilation = 1;  // both axes

  bool operator==(const ConvLabState& o) const {
    return input == o.input && filter == o.filter && padding == o.padding && pad == o.pad &&
           stride == o.stride && dilation == o.dilation;
  }
  bool operator!=(const ConvLabState& o) const { return !(*this == o); }
};

// One axis of the output size formula ⌊(n + p₁ + p₂ − d(k−1) − 1)/s⌋ + 1.
struct ConvAxis {
  int n = 0, pad_before = 0, pad_after = 0, k = 0, dilation = 1, stride = 1;
  int out = 0;  // 0 when the dilated kernel exceeds the padded input

  // The formula with the numbers plugged in (ASCII), e.g.
  // "rows: floor((6 + 2*0 - 1*(3-1) - 1)/1) + 1 = 4". Built on demand, not per recompute.
  std::string Formula(const char* axis_name) const;
};

struct ConvLabResult {
  Conv2dParams params;  // what the kernel ran with (padding resolved)
  ConvAxis rows, cols;  // the output size, per axis
  Tensor output;        // [OH, OW]; empty when there is no valid output
  std::string error;    // why there is no output, for the user; empty otherwise
};

// One term of an output cell's sum. Taps that fall on padding are listed (their input
// is 0) so the view can show them; in_y/in_x are then outside the input.
struct ConvTraceTerm {
  int in_y = 0, in_x = 0;  // input position
  int k_y = 0, k_x = 0;    // filter position
  float input = 0, weight = 0, product = 0;
  bool padded = false;
};

struct ConvCellTrace {
  int out_y = 0, out_x = 0;
  std::vector<ConvTraceTerm> terms;  // in filter order (row-major)
  float sum = 0;                     // equals the output value
  std::string text;                  // "10×1 + 10×0 + 0×(-1) + ... = 30"
};

ConvLabState ConvLabDefault();  // the E9 vertical-edge example
ConvLabResult EvaluateConvLab(const ConvLabState& state);
// The same, reusing `result`'s storage: no allocation when the output shape is unchanged
// (what the page does on every edit).
void EvaluateConvLab(const ConvLabState& state, ConvLabResult* result);
// The arithmetic of output cell (oy, ox); requires a result with an output.
ConvCellTrace TraceConvCell(const ConvLabState& state, const ConvLabResult& result, int oy, int ox);

// ---- share link ----------------------------------------------------------------------
std::string EncodeConvLab(const ConvLabState& state);  // "v1/conv?in=...&f=...&..."
// Decodes the fields of a parsed link whose lab is "conv". Missing optional fields take
// their defaults (pad=valid, stride=1, dil=1); `in` and `f` are required.
bool DecodeConvLab(const Link& link, ConvLabState* state, LinkError* error);

// The state and result as JSON: {"lab":"conv","link":...,"state":{...},"result":{...}}.
std::string ConvLabToJson(const ConvLabState& state, const ConvLabResult& result);

// ---- presets (conv_presets.cpp) ------------------------------------------------------
struct ConvFilterPreset {
  const char* id;
  const char* title;
  int size;                   // square, size × size
  std::vector<float> values;  // row-major
};
struct ConvInputPreset {
  const char* id;
  const char* title;
  float (*value)(int y, int x, int h, int w);  // fills any size
};
const std::vector<ConvFilterPreset>& ConvFilterPresets();
const std::vector<ConvInputPreset>& ConvInputPresets();
void ApplyFilterPreset(const ConvFilterPreset& preset, ConvLabState* state);
// Keeps the input's size, refills its values.
void ApplyInputPreset(const ConvInputPreset& preset, ConvLabState* state);

}  // namespace nnplay
