// cost.cpp: see cost.h.
#include "ops/cost.h"

namespace nnplay {

std::string ConvSpecValidate(const FeatureShape& in, const ConvSpec& s) {
  if (in.h <= 0 || in.w <= 0 || in.c <= 0) return "input sizes must be positive";
  if (s.out_c <= 0) return "the number of filters must be positive";
  if (s.k <= 0) return "the kernel size must be positive";
  if (s.stride <= 0) return "the stride must be positive";
  if (s.groups <= 0 || in.c % s.groups != 0 || s.out_c % s.groups != 0)
    return "groups must divide both the input and the output channels";
  return {};
}

LayerCost DenseCost(int64_t in, int64_t out, bool bias) {
  return {out * in + (bias ? out : 0), out * in};
}

LayerCost DenseChainCost(const std::vector<int64_t>& widths, bool bias) {
  LayerCost total;
  for (size_t i = 1; i < widths.size(); ++i)
    total = total + DenseCost(widths[i - 1], widths[i], bias);
  return total;
}

LayerCost DenseBetweenCost(const FeatureShape& in, const FeatureShape& out, bool bias) {
  return DenseCost(in.size(), out.size(), bias);
}

FeatureShape ConvOutShape(const FeatureShape& in, const ConvSpec& s) {
  auto extent = [&](int64_t n) -> int64_t {
    if (s.padding == ConvPadding::kSame) return (n + s.stride - 1) / s.stride;
    return n < s.k ? 0 : (n - s.k) / s.stride + 1;
  };
  return {extent(in.h), extent(in.w), s.out_c};
}

LayerCost ConvCost(const FeatureShape& in, const ConvSpec& s) {
  const FeatureShape out = ConvOutShape(in, s);
  const int64_t per_output = s.k * s.k * (in.c / s.groups);  // padding taps included
  return {s.out_c * per_output + (s.bias ? s.out_c : 0), out.h * out.w * out.c * per_output};
}

LayerCost ConvChainCost(const FeatureShape& in, const std::vector<ConvSpec>& layers,
                        FeatureShape* out) {
  LayerCost total;
  FeatureShape shape = in;
  for (const ConvSpec& s : layers) {
    total = total + ConvCost(shape, s);
    shape = ConvOutShape(shape, s);
  }
  if (out) *out = shape;
  return total;
}

}  // namespace nnplay
