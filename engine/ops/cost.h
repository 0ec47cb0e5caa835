// cost.h: parameters and multiplications of dense and convolution layers (E5, E10, E12,
// E13), in 64-bit integers (an Inception branch needs more than 2^31 in a fully connected
// comparison).
//
// Counting, as the course counts:
// - dense in → out: params out·in (+ out biases); mults out·in per example.
// - conv on H×W×C_in, C_out filters k×k, groups g: params C_out·k·k·C_in/g (+ C_out);
//   mults out_h·out_w·C_out·k·k·C_in/g. Padding taps ARE counted (a "same" convolution
//   costs k·k·C_in/g per output even at the border), unlike Conv2dParams::macs(), which
//   skips them; the course's figures need this form.
// - "valid": out = ⌊(n − k)/s⌋ + 1 (0 when k > n); "same": out = ⌈n/s⌉.
// Shapes are H×W×C here because that is how the course writes them (28×28×192); the
// tensors themselves are CHW.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnplay {

struct LayerCost {
  int64_t params = 0;
  int64_t mults = 0;
};
inline LayerCost operator+(LayerCost a, LayerCost b) {
  return {a.params + b.params, a.mults + b.mults};
}

struct FeatureShape {
  int64_t h = 1, w = 1, c = 1;
  int64_t size() const { return h * w * c; }
};

enum class ConvPadding { kValid, kSame };

struct ConvSpec {
  int64_t out_c = 1;
  int64_t k = 1;  // square kernel
  int64_t stride = 1;
  ConvPadding padding = ConvPadding::kSame;
  int64_t groups = 1;
  bool bias = true;
};

// Empty when the layer is usable on `in`, else what is wrong.
std::string ConvSpecValidate(const FeatureShape& in, const ConvSpec& s);

LayerCost DenseCost(int64_t in, int64_t out, bool bias = true);
// A chain of dense layers through the given widths: {3, 4, 2} is 3 → 4 → 2 (E5: 26).
LayerCost DenseChainCost(const std::vector<int64_t>& widths, bool bias = true);
// A fully connected layer between two feature maps, flattened (E10's comparison).
LayerCost DenseBetweenCost(const FeatureShape& in, const FeatureShape& out, bool bias = true);

FeatureShape ConvOutShape(const FeatureShape& in, const ConvSpec& s);
LayerCost ConvCost(const FeatureShape& in, const ConvSpec& s);
// Layers applied one after the other; *out (if given) receives the final shape.
LayerCost ConvChainCost(const FeatureShape& in, const std::vector<ConvSpec>& layers,
                        FeatureShape* out = nullptr);

}  // namespace nnplay
