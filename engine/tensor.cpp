// tensor.cpp: see tensor.h.
#include "tensor.h"

#include <utility>

namespace nnplay {

Tensor::Tensor(std::vector<int> shape, float fill)
    : shape_(std::move(shape)), data_(Count(shape_), fill) {}

void Tensor::Resize2d(int h, int w, float fill) {
  Tensor out({h, w}, fill);
  const int old_h = rank() == 2 ? dim(0) : 0, old_w = rank() == 2 ? dim(1) : 0;
  for (int y = 0; y < h && y < old_h; ++y)
    for (int x = 0; x < w && x < old_w; ++x) out.at(y, x) = at(y, x);
  *this = std::move(out);
}

size_t Tensor::Count(const std::vector<int>& shape) {
  if (shape.empty()) return 0;
  size_t n = 1;
  for (int d : shape) n *= d > 0 ? static_cast<size_t>(d) : 0;
  return n;
}

}  // namespace nnplay
