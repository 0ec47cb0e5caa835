// activations.h: elementwise activations, forward and backward.
//
// Shapes: x, y, dy, dx all [n] (any tensor, flattened). Backward ACCUMULATES: dx += ….
// ReLU and leaky ReLU backward take the forward's input x; sigmoid and tanh backward take
// the forward's output y (their derivatives are cheapest from it).
//
// Conventions:
// - relu(x) = x > 0 ? x : (x is NaN ? x : +0), i.e. IEEE maximum(x, +0): a NaN input
//   stays NaN (it is not hidden as 0) and −0 gives +0. Spelled out in full because
//   compilers are free to turn a plain `x < 0 ? 0 : x` into a max instruction (wasm
//   clang does), which changes the sign of −0 between builds. The derivative at 0 is
//   taken as 0 (x > 0 ? 1 : 0).
// - leaky_relu(x) = x < 0 ? slope·x : x; derivative x > 0 ? 1 : slope.
// - sigmoid is evaluated without overflow for large |x|: exp of a non-positive number only.
// - σ'(x) = σ(x)(1 − σ(x)) ≤ 0.25 and tanh'(x) = 1 − tanh²(x) ≤ 1 (E7).
//
// Kernels: *_ref are the scalar specification (float and double); relu and leaky relu
// also have *_simd128 versions (bit for bit equal) and dispatchers without a suffix.
#pragma once

#include <cstddef>

namespace nnplay {

template <typename T>
void relu_forward_ref(const T* x, T* y, size_t n);
template <typename T>
void relu_backward_ref(const T* x, const T* dy, T* dx, size_t n);

template <typename T>
void leaky_relu_forward_ref(const T* x, T* y, size_t n, T slope);
template <typename T>
void leaky_relu_backward_ref(const T* x, const T* dy, T* dx, size_t n, T slope);

template <typename T>
void sigmoid_forward_ref(const T* x, T* y, size_t n);
template <typename T>
void sigmoid_backward_ref(const T* y, const T* dy, T* dx, size_t n);

template <typename T>
void tanh_forward_ref(const T* x, T* y, size_t n);
template <typename T>
void tanh_backward_ref(const T* y, const T* dy, T* dx, size_t n);

void relu_forward_simd128(const float* x, float* y, size_t n);
void relu_backward_simd128(const float* x, const float* dy, float* dx, size_t n);
void leaky_relu_forward_simd128(const float* x, float* y, size_t n, float slope);
void leaky_relu_backward_simd128(const float* x, const float* dy, float* dx, size_t n, float slope);

void relu_forward(const float* x, float* y, size_t n);
void relu_backward(const float* x, const float* dy, float* dx, size_t n);
void leaky_relu_forward(const float* x, float* y, size_t n, float slope);
void leaky_relu_backward(const float* x, const float* dy, float* dx, size_t n, float slope);

}  // namespace nnplay

// ---- SIMD128 sigmoid and tanh (float) ------------------------------------------------------
// A vectorised exp (Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2, Cephes degree-6
// polynomial, 2^n applied in two halves so subnormal results come out right); relative error
// ≤ 2e-7 on normal results (Cephes' bound for this polynomial), 0 below −104, +∞ above 88.72.
// Measured against double over [−87, 87] (ops_simd_test.cpp ErrorBoundAgainstDouble):
// sigmoid ≤ 1.7e-7, tanh ≤ 1.5e-7 relative; subnormal results within 2 subnormal steps.
// - sigmoid: e = exp(−|x|) ∈ (0, 1], y = 1/(1 + e) for x ≥ 0 else e/(1 + e): no overflow.
// - tanh: |x| < 0.625: odd polynomial (Cephes tanhf), else (1 − e)/(1 + e) with e = exp(−2|x|),
//   the sign of x put back last (tanh(−0) = −0; ±∞ → ±1).
// Both: NaN in, the same NaN out. NOT bit for bit equal to the reference: within ~5e-7
// relative (tests use 1e-6). Dispatchers pick SIMD from 4 values on.
namespace nnplay {
void sigmoid_forward_simd128(const float* x, float* y, size_t n);
void tanh_forward_simd128(const float* x, float* y, size_t n);
void sigmoid_forward(const float* x, float* y, size_t n);
void tanh_forward(const float* x, float* y, size_t n);
}  // namespace nnplay
