// tensor.cpp: see tensor.h.
#include "tensor.h"

#include <algorithm>
#include <utility>

namespace nnplay {

Tensor::Tensor(std::vector<int> shape, float fill)
    : shape_(std::move(shape)), data_(Count(shape_), fill) {}

void Tensor::Resize(const std::vector<int>& shape, float fill) {
  Tensor out(shape, fill);
  if (rank() == out.rank() && !empty()) {
    // Walk the overlap row by row (the last axis is contiguous in both).
    const int r = rank();
    std::vector<int> common(static_cast<size_t>(r));
    for (int i = 0; i < r; ++i) common[i] = std::min(dim(i), out.dim(i));
    const size_t row = static_cast<size_t>(common[r - 1]);
    std::vector<int> idx(static_cast<size_t>(r), 0);
    bool any = row > 0;
    for (int i = 0; i < r - 1; ++i) any = any && common[i] > 0;
    while (any) {
      size_t from = 0, to = 0;
      for (int i = 0; i < r - 1; ++i) {
        from = (from + static_cast<size_t>(idx[i])) * static_cast<size_t>(dim(i + 1));
        to = (to + static_cast<size_t>(idx[i])) * static_cast<size_t>(out.dim(i + 1));
      }
      std::copy(data_.begin() + static_cast<long>(from),
                data_.begin() + static_cast<long>(from + row),
                out.data_.begin() + static_cast<long>(to));
      int axis = r - 2;
      while (axis >= 0 && ++idx[axis] == common[axis]) idx[axis--] = 0;
      if (axis < 0) break;
    }
  }
  *this = std::move(out);
}

size_t Tensor::Count(const std::vector<int>& shape) {
  if (shape.empty()) return 0;
  size_t n = 1;
  for (int d : shape) n *= d > 0 ? static_cast<size_t>(d) : 0;
  return n;
}

}  // namespace nnplay
