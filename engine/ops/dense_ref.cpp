// dense_ref.cpp: the scalar reference dense layer (see dense.h for shapes).
#include <cstddef>

#include "ops/dense.h"

namespace nnplay {

template <typename T>
void dense_forward_ref(int n, int in, int out, const T* x, const T* w, const T* b, T* y) {
  for (int r = 0; r < n; ++r) {
    const T* x_r = x + static_cast<size_t>(r) * in;
    for (int o = 0; o < out; ++o) {
      const T* w_o = w + static_cast<size_t>(o) * in;
      T acc = 0;
      for (int i = 0; i < in; ++i) acc += w_o[i] * x_r[i];
      if (b) acc += b[o];
      y[static_cast<size_t>(r) * out + o] = acc;
    }
  }
}

template <typename T>
void dense_backward_ref(int n, int in, int out, const T* x, const T* w, const T* dy, T* dx, T* dw,
                        T* db) {
  for (int r = 0; r < n; ++r) {
    const T* x_r = x + static_cast<size_t>(r) * in;
    const T* dy_r = dy + static_cast<size_t>(r) * out;
    T* dx_r = dx ? dx + static_cast<size_t>(r) * in : nullptr;
    for (int o = 0; o < out; ++o) {
      const T g = dy_r[o];
      const T* w_o = w + static_cast<size_t>(o) * in;
      // dX[r, :] += dY[r, o] · W[o, :];  dW[o, :] += dY[r, o] · X[r, :];  db[o] += dY[r, o]
      if (dx_r)
        for (int i = 0; i < in; ++i) dx_r[i] += g * w_o[i];
      if (dw) {
        T* dw_o = dw + static_cast<size_t>(o) * in;
        for (int i = 0; i < in; ++i) dw_o[i] += g * x_r[i];
      }
      if (db) db[o] += g;
    }
  }
}

template void dense_forward_ref<float>(int, int, int, const float*, const float*, const float*,
                                       float*);
template void dense_forward_ref<double>(int, int, int, const double*, const double*, const double*,
                                        double*);
template void dense_backward_ref<float>(int, int, int, const float*, const float*, const float*,
                                        float*, float*, float*);
template void dense_backward_ref<double>(int, int, int, const double*, const double*, const double*,
                                         double*, double*, double*);

}  // namespace nnplay
