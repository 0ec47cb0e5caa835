// tensor.cpp: see tensor.h.
#include "tensor.h"

#include <utility>

namespace nnplay {

Tensor::Tensor(std::vector<int> shape, float fill)
    : shape_(std::move(shape)), data_(Count(shape_), fill) {}

size_t Tensor::Count(const std::vector<int>& shape) {
  if (shape.empty()) return 0;
  size_t n = 1;
  for (int d : shape) n *= d > 0 ? static_cast<size_t>(d) : 0;
  return n;
}

}  // namespace nnplay
