// cnn_exports.cpp: the wasm side of bench/cnn_bench.mjs: ConvNetJS's MNIST and CIFAR-10
// demo networks as nnplay Networks (nn/network.h) trained with Adadelta (nn/optimizer.h),
// ConvNetJS's SGDTrainer settings.
//
// Plain extern "C" exports (no embind). Two slots, so one module holds the same net twice
// (e.g. slot 0 with the fast kernels, slot 1 with the reference kernels). The JS side copies
// a pool of samples (CHW floats) and labels into the slot's buffers once; every training
// step takes the next `batch` samples of the pool (wrapping), runs TrainStep and one
// Adadelta step. Nothing is allocated after cnn_setup.
//
// Nets (which): 0 = MNIST demo: 24×24×1, conv 5×5×8 pad 2, ReLU, max pool 2/2, conv 5×5×16
// pad 2, ReLU, max pool 3/3, dense 10, softmax. 1 = CIFAR-10 demo: 32×32×3, three times
// (conv 5×5 pad 2 with 16, 20, 20 filters, ReLU, max pool 2/2), dense 10, softmax.
// 2 = an MLP for the dense layers: 784 inputs (as 1×28×28), dense 256, ReLU, dense 256,
// ReLU, dense 10, softmax.
#include <emscripten/emscripten.h>

#include <vector>

#include "nn/network.h"
#include "nn/optimizer.h"

namespace {

struct Slot {
  nnplay::Network net;
  nnplay::Adadelta ada;
  std::vector<float> x;  // [pool, input size]
  std::vector<int> y;    // [pool]
  int batch = 0, pool = 0, cursor = 0;
};

Slot g_slots[2];

Slot* GetSlot(int slot) {
  return slot == 0 || slot == 1 ? &g_slots[slot] : nullptr;
}

}  // namespace

extern "C" {

// Builds net `which` in `slot` for batches of `batch`, with a pool of `pool` samples
// (a multiple of batch) and Adadelta(ρ 0.95, ε 1e-6, l2_decay). Parameters are Glorot from
// seed 1 until the JS side overwrites them. Returns the parameter count, or -1.
EMSCRIPTEN_KEEPALIVE int cnn_setup(int slot, int which, int batch, int pool, float l2_decay) {
  Slot* s = GetSlot(slot);
  if (!s || batch < 1 || pool < batch || pool % batch) return -1;
  s->net = nnplay::Network();
  std::vector<int> shape;
  if (which == 0) {
    s->net.AddConv2d(8, 5, 1, 2).AddReLU().AddMaxPool2d(2, 2);
    s->net.AddConv2d(16, 5, 1, 2).AddReLU().AddMaxPool2d(3, 3);
    shape = {1, 24, 24};
  } else if (which == 1) {
    s->net.AddConv2d(16, 5, 1, 2).AddReLU().AddMaxPool2d(2, 2);
    s->net.AddConv2d(20, 5, 1, 2).AddReLU().AddMaxPool2d(2, 2);
    s->net.AddConv2d(20, 5, 1, 2).AddReLU().AddMaxPool2d(2, 2);
    shape = {3, 32, 32};
  } else if (which == 2) {
    s->net.AddFlatten().AddDense(256).AddReLU().AddDense(256).AddReLU();
    shape = {1, 28, 28};
  } else {
    return -1;
  }
  s->net.AddFlatten().AddDense(10).SetLoss(nnplay::LossKind::kSoftmaxCrossEntropy);
  if (!s->net.Build(shape, batch).empty()) return -1;
  s->net.InitParams(1);
  nnplay::AdadeltaOptions o;
  o.ro = 0.95f;
  o.eps = 1e-6f;
  o.l2_decay = l2_decay;
  o.batch_size = batch;
  s->ada = nnplay::Adadelta(o);
  s->ada.Build(s->net);
  s->batch = batch;
  s->pool = pool;
  s->cursor = 0;
  s->x.assign(static_cast<size_t>(pool) * s->net.input_size(), 0.0f);
  s->y.assign(static_cast<size_t>(pool), 0);
  return static_cast<int>(s->net.param_count());
}

EMSCRIPTEN_KEEPALIVE void cnn_set_reference(int slot, int on) {
  if (Slot* s = GetSlot(slot)) s->net.set_reference_kernels(on != 0);
}

EMSCRIPTEN_KEEPALIVE float* cnn_x(int slot) {
  Slot* s = GetSlot(slot);
  return s ? s->x.data() : nullptr;
}
EMSCRIPTEN_KEEPALIVE int* cnn_y(int slot) {
  Slot* s = GetSlot(slot);
  return s ? s->y.data() : nullptr;
}
EMSCRIPTEN_KEEPALIVE float* cnn_params(int slot) {
  Slot* s = GetSlot(slot);
  return s ? s->net.params() : nullptr;
}
EMSCRIPTEN_KEEPALIVE int cnn_num_tensors(int slot) {
  Slot* s = GetSlot(slot);
  return s ? s->net.num_param_tensors() : -1;
}
// Field f of parameter tensor i: 0 offset, 1 size, 2 rank, 3.. the shape.
EMSCRIPTEN_KEEPALIVE int cnn_tensor_field(int slot, int i, int f) {
  Slot* s = GetSlot(slot);
  if (!s || i < 0 || i >= s->net.num_param_tensors()) return -1;
  const nnplay::ParamView& v = s->net.param(i);
  if (f == 0) return static_cast<int>(v.offset);
  if (f == 1) return static_cast<int>(v.size);
  if (f == 2) return static_cast<int>(v.shape.size());
  const size_t d = static_cast<size_t>(f - 3);
  return f >= 3 && d < v.shape.size() ? v.shape[d] : -1;
}

// Restarts at the pool's first batch and zeroes Adadelta's accumulators.
EMSCRIPTEN_KEEPALIVE void cnn_reset(int slot) {
  if (Slot* s = GetSlot(slot)) {
    s->cursor = 0;
    s->ada.Reset();
  }
}

// `steps` training steps (TrainStep + Adadelta) on the next batches of the pool. Returns the
// last step's batch-mean cross-entropy (without the decay loss), NaN on a bad slot.
EMSCRIPTEN_KEEPALIVE float cnn_train(int slot, int steps) {
  Slot* s = GetSlot(slot);
  if (!s || s->batch < 1) return __builtin_nanf("");
  float loss = 0.0f;
  const size_t in = s->net.input_size();
  for (int i = 0; i < steps; ++i) {
    const size_t first = static_cast<size_t>(s->cursor) * s->batch;
    loss = s->net.TrainStep(s->x.data() + first * in, s->y.data() + first, s->batch);
    s->ada.Step(&s->net);
    s->cursor = (s->cursor + 1) % (s->pool / s->batch);
  }
  return loss;
}

}  // extern "C"
