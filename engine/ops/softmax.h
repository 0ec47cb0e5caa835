// softmax.h: softmax with temperature and log-softmax, row by row, forward and backward.
//
// Shapes: X, P, dP, dX [N, C] (N rows of C logits); T > 0 is the temperature.
//   softmax:     p_i = exp((x_i − m)/T) / Σ_j exp((x_j − m)/T),  m = max_j x_j
//   log-softmax: l_i = (x_i − m) − log Σ_j exp(x_j − m)
// Subtracting the row maximum keeps every exp() argument ≤ 0: logits of ±1e4 give exact
// 0s and 1s instead of inf/inf. A single logit always gives p = 1 (E1). T → 0 sharpens
// towards argmax, T → ∞ flattens towards uniform.
//
// Backward ACCUMULATES into dX and takes the forward's output:
//   softmax:     dx_i += (1/T) · p_i · (dp_i − Σ_j dp_j p_j)
//   log-softmax: dx_i += dl_i − exp(l_i) · Σ_j dl_j
// NaN or ±Inf logits give NaN outputs; check with AllFinite (finite.h).
#pragma once

namespace nnplay {

template <typename T>
void softmax_forward(int n, int c, const T* x, T* p, T temperature = T(1));
template <typename T>
void softmax_backward(int n, int c, const T* p, const T* dp, T* dx, T temperature = T(1));

template <typename T>
void log_softmax_forward(int n, int c, const T* x, T* l);
template <typename T>
void log_softmax_backward(int n, int c, const T* l, const T* dl, T* dx);

// The numerically stable core shared by softmax, log-softmax and the cross-entropy: for one
// row of c logits, e[i] = exp((x[i] − max) / temperature) (written to e unless it is null)
// and their sum; *max receives the row's max.
template <typename T>
T ShiftedExpRow(const T* x, int c, T temperature, T* e, T* max);

}  // namespace nnplay
