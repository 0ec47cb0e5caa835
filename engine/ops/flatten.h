// flatten.h: flatten [N, d1, d2, …] to [N, d1·d2·…] (from start_dim on).
//
// Row-major data does not move: forward and backward are shape changes only. With raw
// pointers the buffer is used as it is (dX of the flat view is dX of the original); with
// Tensors, Reshape moves the values into a tensor of the new shape (the gradient goes back
// through Reshape(grad, original_shape)).
#pragma once

#include <vector>

#include "tensor.h"

namespace nnplay {

// The flat shape: the dims before start_dim kept, then the product of the rest (1 when
// there are none): {2, 3, 4, 5} → {2, 60}; {7} → {7, 1}.
std::vector<int> FlattenShape(const std::vector<int>& shape, int start_dim = 1);

// t's values under a new shape with the same element count; an empty Tensor when the
// counts differ. The values are moved, not copied, but Tensor has no shape setter, so the
// new tensor is first allocated (zero-filled) and then swapped with t's storage.
Tensor Reshape(Tensor t, const std::vector<int>& shape);

}  // namespace nnplay
