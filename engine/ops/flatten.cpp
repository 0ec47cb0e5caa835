// flatten.cpp: see flatten.h.
#include "ops/flatten.h"

#include <cstddef>

namespace nnplay {

std::vector<int> FlattenShape(const std::vector<int>& shape, int start_dim) {
  const size_t start = start_dim < 0 ? 0 : static_cast<size_t>(start_dim);
  std::vector<int> out(shape.begin(),
                       shape.begin() + (start < shape.size() ? start : shape.size()));
  int rest = 1;
  for (size_t i = start; i < shape.size(); ++i) rest *= shape[i];
  out.push_back(rest);
  return out;
}

Tensor Reshape(Tensor t, const std::vector<int>& shape) {
  if (Tensor::Count(shape) != t.size()) return Tensor();
  Tensor out(shape);
  out.values().swap(t.values());
  return out;
}

}  // namespace nnplay
