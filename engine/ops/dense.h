// dense.h: a fully connected layer, batched: y = W x + b for every row x of X.
//
// Shapes (row-major):
//   X  [N, in]    W  [out, in]    b  [out] (may be null: no bias)    Y  [N, out]
//   dX [N, in]    dW [out, in]    db [out]                            dY [N, out]
//
// Kernels, side by side:
// - dense_forward_ref:      scalar reference; the specification. Per output the terms are
//                           added in input order, the bias last. float and double (the
//                           double instantiation is what the gradient checks use).
// - dense_forward_simd128:  four lanes along the input axis, four outputs at a time; the
//                           sum is reassociated, so it matches the reference to a relative
//                           tolerance, not bit for bit.
// - dense_forward:          picks one by size.
// - dense_backward_ref / dense_backward_simd128 / dense_backward: ACCUMULATE (+=) into
//   dX, dW, db; each may be null (not wanted). The SIMD128 backward is a row-times-scalar
//   update (axpy) along the contiguous axis: same terms, same order, bit for bit equal to
//   the reference.
#pragma once

namespace nnplay {

template <typename T>
void dense_forward_ref(int n, int in, int out, const T* x, const T* w, const T* b, T* y);
template <typename T>
void dense_backward_ref(int n, int in, int out, const T* x, const T* w, const T* dy, T* dx, T* dw,
                        T* db);

void dense_forward_simd128(int n, int in, int out, const float* x, const float* w, const float* b,
                           float* y);
void dense_backward_simd128(int n, int in, int out, const float* x, const float* w, const float* dy,
                            float* dx, float* dw, float* db);

void dense_forward(int n, int in, int out, const float* x, const float* w, const float* b,
                   float* y);
void dense_backward(int n, int in, int out, const float* x, const float* w, const float* dy,
                    float* dx, float* dw, float* db);

}  // namespace nnplay
