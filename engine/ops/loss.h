// loss.h: losses, forward and backward.
//
// Softmax cross-entropy from logits (stable), integer class targets, mean over the batch:
//   logits, probs, dlogits [N, C]; targets [N], each in [0, C)
//   loss = (1/N) Σ_r [ log Σ_j exp(x_rj − m_r) − (x_rt − m_r) ],  m_r = max_j x_rj
//   dlogits_rj += dloss · (p_rj − [j == t_r]) / N
// The log-sum-exp form never takes the log of a rounded-to-zero probability: logits of
// ±1e4 give a finite loss (2e4 for the wrong class) and a finite gradient.
// A target outside [0, C) makes the loss NaN (and the backward skips that row's one-hot
// term): the caller sees it with std::isfinite.
//
// Mean squared error, mean over all N·D elements (no ½ factor):
//   y, target, dy [N·D];  loss = (1/(N·D)) Σ (y − t)²;  dy += dloss · 2 (y − t) / (N·D)
//
// Forward returns the loss; backward ACCUMULATES and takes dloss (1 for a plain loss).
#pragma once

#include <cstddef>

namespace nnplay {

template <typename T>
T softmax_cross_entropy_forward(int n, int c, const T* logits, const int* targets, T* probs);
template <typename T>
void softmax_cross_entropy_backward(int n, int c, const T* probs, const int* targets, T dloss,
                                    T* dlogits);

template <typename T>
T mse_forward(size_t count, const T* y, const T* target);
template <typename T>
void mse_backward(size_t count, const T* y, const T* target, T dloss, T* dy);

}  // namespace nnplay
