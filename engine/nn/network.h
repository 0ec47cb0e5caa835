// network.h: a small sequential network that chains the engine's ops (ops/*.h) and runs a
// whole forward and backward pass over a batch in one call.
//
// Usage:
//   Network net;
//   net.AddDense(8).AddTanh().AddDense(2).SetLoss(LossKind::kSoftmaxCrossEntropy);
//   std::string err = net.Build({2}, 32);     // per-sample input shape, largest batch
//   net.InitParams(seed);                     // Glorot-uniform weights, zero biases
//   Adam adam(0.01f); adam.Build(net);        // optimizer.h
//   float loss = net.TrainStep(x, y, batch);  // forward + loss + backward (gradients)
//   adam.Step(&net);                          // update the parameters in place
//
// Layouts: a batch is row-major [N, per-sample shape]; per sample, images and feature maps
// are CHW (as kernels/conv2d.h), Dense takes a rank-1 sample (use Flatten after Conv2d or
// MaxPool2d). Dense weights are [out, in], Conv2d weights OIHW; each layer's weights come
// first in the parameter buffer, then its bias.
//
// Memory: Build allocates everything: one contiguous buffer of all parameters, one of all
// their gradients, and per layer an activation buffer and an activation-gradient buffer of
// max_batch samples (plus MaxPool2d argmax indices and the loss head's probabilities).
// After Build no call allocates: Forward, TrainStep and the optimizers' Step only write
// into those buffers, so the raw pointers (params(), grads(), param(i).data, ...) stay valid
// until the next Build and can be wrapped once in JS typed-array views.
//
// Gradients: TrainStep (or Backward) first zeroes every gradient, then accumulates the
// batch-mean loss's gradient, so grads() holds dLoss/dParams of this batch only.
//
// Kernels: by default every layer runs the engine's fast kernels. A stride-1 Conv2d runs on
// kernels/conv_direct.h, GEMM tiles that read a zero-padded copy of the input directly (no
// im2col matrix): forward per sample W[O, C·k·k] ⋆ padded input, the padded inputs kept for
// the backward; weight gradient over the whole batch from them, 8 channels × 4 taps a tile;
// input gradient as the convolution of the padded dOut with the flipped, transposed kernel
// (when pad ≤ k − 1). The same sums in the same order as the GEMMs on im2col matrices they
// replaced, so the same bits. A strided Conv2d runs as GEMMs on the packed SIMD128 kernel
// (kernels/gemm.h): forward per sample W[O, C·k·k] × cols[C·k·k, H'W'], the im2col columns
// written straight into the GEMM's packed panel layout from a zero-padded copy of the input,
// and kept for the backward; weight gradient as one GEMM over the batch, dOut[O, N·H'W'] ×
// colsᵀ (the kept panels transposed 8×8 at a time); input gradient Wᵀ × dOut and col2im.
// Dense layers with ≥ 4096 weights run as packed GEMMs at batches ≥ 4 (smaller ones, and
// smaller batches, use ops/dense.h's dispatchers). Max pooling, ReLU, sigmoid and tanh use
// the SIMD-dispatching ops. The workspace is allocated by Build (Buffers() lists it): each
// conv layer's padded inputs (stride 1) or columns, max_batch·C·k·k·⌈H'W'/8⌉·8 floats
// (strided), plus scratch shared by the layers.
// Threads (parallel/thread_pool.h, the engine's pool): the fast path splits work only across
// outputs, so every result is bit-identical for any thread count: the conv forward and the
// input gradient sample by sample (a single sample splits its GEMM), the weight gradient's
// GEMM by blocks of output channels and taps (each weight keeps its one sum over the whole
// batch, in order; never partial batches added up), the dense GEMMs by panels of C, ReLU and
// max pooling sample by sample. Loops under kParallelMinWork operations stay on the calling
// thread, so the course's small nets pay nothing. Build sizes each worker's scratch for the
// larger of EngineThreads() and the hardware's threads; setting more threads than both after
// Build takes effect at the next Build.
// set_reference_kernels(true) runs the scalar *_ref ops instead (the specification); the two
// agree to ~1e-6 relative (sums reassociated, the SIMD exp), not bit for bit. Either way a
// run is deterministic: the same inputs give the same bits on one platform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/conv2d.h"
#include "ops/pool.h"

namespace nnplay {

enum class LayerKind { kDense, kReLU, kLeakyReLU, kSigmoid, kTanh, kConv2d, kMaxPool2d, kFlatten };
// "dense", "relu", "leaky_relu", "sigmoid", "tanh", "conv", "maxpool", "flatten" (the names
// in ParamView::name and in Build's messages).
const char* LayerKindName(LayerKind kind);

// Softmax cross-entropy from logits with integer class targets (mean over the batch), or
// mean squared error with float targets (mean over all output elements); see ops/loss.h.
enum class LossKind { kSoftmaxCrossEntropy, kMse };

// One parameter tensor, a view into Network::params() / grads().
struct ParamView {
  std::string name;  // "dense0.weight", "conv1.bias", ...
  int layer = 0;
  std::vector<int> shape;
  size_t offset = 0;  // into params() / grads()
  size_t size = 0;
  float* data = nullptr;
  float* grad = nullptr;
};

// Where a buffer lives and how much it holds (for tests: unchanged across steps).
struct BufferInfo {
  const void* data;
  size_t capacity;
};

class Network {
 public:
  Network() = default;
  // Moving keeps every buffer (and so every pointer handed out); a copy would not, so none.
  Network(Network&&) = default;
  Network& operator=(Network&&) = default;
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Layers, in order. Each returns *this so they chain.
  Network& AddDense(int units, bool bias = true);
  Network& AddReLU();
  Network& AddLeakyReLU(float slope = 0.01f);
  Network& AddSigmoid();
  Network& AddTanh();
  // Square kernel k, same stride and zero padding on both axes.
  Network& AddConv2d(int out_c, int k, int stride = 1, int pad = 0, bool bias = true);
  // Square window k, stride (0: stride = k), no padding.
  Network& AddMaxPool2d(int k, int stride = 0);
  Network& AddFlatten();
  Network& SetLoss(LossKind loss);

  // Allocates every buffer for inputs of per-sample shape input_shape (e.g. {2} or
  // {1, 8, 8}) and batches of up to max_batch. Returns empty on success, else what is wrong
  // (the network is then not usable). Parameters start at zero; call InitParams.
  std::string Build(const std::vector<int>& input_shape, int max_batch);
  bool built() const { return built_; }

  // Glorot-uniform weights (±√(6 / (fan_in + fan_out))) from PCG32(seed), zero biases.
  void InitParams(uint64_t seed);

  // Forward over a batch x [batch, input shape]; returns the output [batch, output shape]
  // (logits for the cross-entropy head), or null when batch is not in [1, max_batch].
  const float* Forward(const float* x, int batch);
  // Loss of the last Forward and the gradients of every parameter (zeroed first).
  // Returns the loss, or NaN (and no gradients) when there was no valid Forward.
  float Backward(const int* targets);       // kSoftmaxCrossEntropy: class indices [batch]
  float BackwardMse(const float* targets);  // kMse: [batch, output shape]
  // Forward + Backward in one call.
  float TrainStep(const float* x, const int* targets, int batch);
  float TrainStepMse(const float* x, const float* targets, int batch);
  // Forward + loss only (no gradients touched).
  float Loss(const float* x, const int* targets, int batch);
  float LossMse(const float* x, const float* targets, int batch);

  // Scalar reference kernels (true) or the fast ones (false, the default); see above.
  void set_reference_kernels(bool on) { reference_ = on; }
  bool reference_kernels() const { return reference_; }

  // All parameters and all gradients, contiguous, in layer order.
  float* params() { return params_.data(); }
  const float* params() const { return params_.data(); }
  float* grads() { return grads_.data(); }
  const float* grads() const { return grads_.data(); }
  size_t param_count() const { return params_.size(); }
  // Each parameter tensor.
  int num_param_tensors() const { return static_cast<int>(param_views_.size()); }
  const ParamView& param(int i) const { return param_views_[static_cast<size_t>(i)]; }

  int num_layers() const { return static_cast<int>(layers_.size()); }
  LayerKind layer_kind(int i) const { return layers_[static_cast<size_t>(i)].kind; }
  // Per-sample output shape of layer i (after Build).
  const std::vector<int>& layer_shape(int i) const { return layers_[static_cast<size_t>(i)].shape; }
  // Layer i's output [max_batch, layer_shape(i)] and its gradient (valid for the last batch).
  const float* layer_output(int i) const;
  const float* layer_grad(int i) const;
  const std::vector<int>& input_shape() const { return input_shape_; }
  const std::vector<int>& output_shape() const;
  size_t input_size() const { return sizes_.empty() ? 0 : sizes_[0]; }
  size_t output_size() const { return sizes_.empty() ? 0 : sizes_.back(); }
  int max_batch() const { return max_batch_; }
  // Class probabilities [batch, classes] of the last cross-entropy Backward or Loss.
  const float* probs() const { return probs_.data(); }

  // Every buffer Build allocated (tests check that none moves or grows across steps).
  std::vector<BufferInfo> Buffers() const;

 private:
  struct Layer {
    LayerKind kind;
    int units = 0;  // Dense outputs; Conv2d out_c
    bool bias = true;
    float slope = 0.01f;
    int k = 1, stride = 1, pad = 0;
    Conv2dParams conv;
    Pool2dParams pool;
    std::vector<int> shape;  // per-sample output shape
    size_t weight_offset = 0, weight_size = 0, bias_offset = 0, bias_size = 0;
    size_t in_size = 0, out_size = 0;  // per sample
    size_t cols_offset = 0;            // Conv2d: its im2col panels, or padded inputs, in ws_
    // Conv2d with stride 1 (direct): kernels/conv_direct.h on zero-padded inputs kept in ws_
    // at cols_offset (pad_stride floats a sample); tap offsets in taps_ (forward at
    // taps_offset, the input gradient's conv at dx_taps_offset when it has one).
    bool direct = false;
    size_t pad_stride = 0, taps_offset = 0, dx_taps_offset = 0;
  };

  Network& Add(Layer layer);
  void BackwardLayers(int batch);
  void ConvIm2col(const Layer& l, const float* in, int batch);
  void DenseForwardGemm(const Layer& l, const float* in, int batch, float* out);
  void DenseBackwardGemm(const Layer& l, const float* in, const float* dout, int batch, float* din,
                         float* dw, float* db);
  void ConvForwardFast(const Layer& l, const float* in, int batch, float* out);
  void ConvBackwardFast(const Layer& l, const float* in, const float* dout, int batch, float* din,
                        float* dw, float* db);
  void ConvForwardDirect(const Layer& l, const float* in, int batch, float* out);
  void ConvBackwardDirect(const Layer& l, const float* in, const float* dout, int batch, float* din,
                          float* dw, float* db);
  void ConvInputGradCols(const Layer& l, const float* dout, int batch, float* din);
  // fn(sample, worker) for every sample of the batch, over the engine's threads when the
  // whole is at least kParallelMinWork operations (per_sample_work each).
  template <typename F>
  void ForSamples(int batch, double per_sample_work, F&& fn);
  // Worker w's scratch: a zero-padded input at 0, packed B panels at ws_wb_, columns at ws_wc_.
  float* worker_ws(int w) { return ws_.data() + ws_worker_offset_ + w * ws_worker_stride_; }
  float* act(size_t i) { return acts_.data() + act_offsets_[i]; }
  float* dact(size_t i) { return dacts_.data() + act_offsets_[i]; }

  std::vector<Layer> layers_;
  LossKind loss_ = LossKind::kSoftmaxCrossEntropy;
  bool built_ = false;
  int max_batch_ = 0;
  int batch_ = 0;  // of the last Forward; 0 when there is none
  std::vector<int> input_shape_;
  std::vector<size_t> sizes_;        // per-sample sizes: input, then each layer's output
  std::vector<size_t> act_offsets_;  // into acts_ / dacts_: input, then each layer's output
  std::vector<float> params_, grads_;
  std::vector<float> acts_, dacts_;
  std::vector<int> argmax_;  // all MaxPool2d layers, [max_batch, out size] each
  std::vector<size_t> argmax_offsets_;
  std::vector<float> probs_;
  std::vector<ParamView> param_views_;
  std::vector<int> taps_;  // direct conv layers' tap offsets
  bool reference_ = false;
  // Workspace: every conv layer's im2col panels or padded inputs (max_batch samples), then
  // scratch shared by the conv and large dense layers: packed A panels, packed B panels, a C
  // buffer (dense Yᵀ); then per worker (worker_slots_ of
  // them) its own scratch (worker_ws).
  std::vector<float> ws_;
  size_t ws_a_offset_ = 0, ws_b_offset_ = 0, ws_c_offset_ = 0;
  size_t ws_worker_offset_ = 0, ws_worker_stride_ = 0, ws_wb_ = 0, ws_wc_ = 0;
  int worker_slots_ = 1;     // scratch slots Build made: threaded loops use at most this many
  bool cols_fresh_ = false;  // the last Forward ran the fast kernels (im2col panels valid)
};

}  // namespace nnplay
