// network.cpp: see network.h.
#include "nn/network.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "ops/activations.h"
#include "ops/conv2d_backward.h"
#include "ops/dense.h"
#include "ops/loss.h"
#include "ops/rng.h"
#include "tensor.h"

namespace nnplay {

namespace {

std::string ShapeText(const std::vector<int>& shape) {
  std::string s = "{";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "}";
}

const char* KindName(LayerKind kind) {
  switch (kind) {
    case LayerKind::kDense:
      return "dense";
    case LayerKind::kReLU:
      return "relu";
    case LayerKind::kLeakyReLU:
      return "leaky_relu";
    case LayerKind::kSigmoid:
      return "sigmoid";
    case LayerKind::kTanh:
      return "tanh";
    case LayerKind::kConv2d:
      return "conv";
    case LayerKind::kMaxPool2d:
      return "maxpool";
    case LayerKind::kFlatten:
      return "flatten";
  }
  return "?";
}

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

}  // namespace

Network& Network::Add(Layer layer) {
  layers_.push_back(layer);
  built_ = false;
  return *this;
}

Network& Network::AddDense(int units, bool bias) {
  Layer l{};
  l.kind = LayerKind::kDense;
  l.units = units;
  l.bias = bias;
  return Add(l);
}
Network& Network::AddReLU() {
  Layer l{};
  l.kind = LayerKind::kReLU;
  return Add(l);
}
Network& Network::AddLeakyReLU(float slope) {
  Layer l{};
  l.kind = LayerKind::kLeakyReLU;
  l.slope = slope;
  return Add(l);
}
Network& Network::AddSigmoid() {
  Layer l{};
  l.kind = LayerKind::kSigmoid;
  return Add(l);
}
Network& Network::AddTanh() {
  Layer l{};
  l.kind = LayerKind::kTanh;
  return Add(l);
}
Network& Network::AddConv2d(int out_c, int k, int stride, int pad, bool bias) {
  Layer l{};
  l.kind = LayerKind::kConv2d;
  l.units = out_c;
  l.k = k;
  l.stride = stride;
  l.pad = pad;
  l.bias = bias;
  return Add(l);
}
Network& Network::AddMaxPool2d(int k, int stride) {
  Layer l{};
  l.kind = LayerKind::kMaxPool2d;
  l.k = k;
  l.stride = stride > 0 ? stride : k;
  return Add(l);
}
Network& Network::AddFlatten() {
  Layer l{};
  l.kind = LayerKind::kFlatten;
  return Add(l);
}
Network& Network::SetLoss(LossKind loss) {
  loss_ = loss;
  return *this;
}

std::string Network::Build(const std::vector<int>& input_shape, int max_batch) {
  built_ = false;
  batch_ = 0;
  if (max_batch < 1) return "max_batch must be at least 1";
  if (input_shape.empty() || Tensor::Count(input_shape) == 0)
    return "input shape must be non-empty with positive sizes";
  for (int d : input_shape)
    if (d < 1) return "input shape " + ShapeText(input_shape) + " has a size below 1";
  if (layers_.empty()) return "the network has no layers";

  input_shape_ = input_shape;
  max_batch_ = max_batch;
  sizes_.assign(1, Tensor::Count(input_shape));
  param_views_.clear();
  size_t n_params = 0, n_argmax = 0;
  std::vector<size_t> argmax_offsets;
  std::vector<int> shape = input_shape;
  for (size_t i = 0; i < layers_.size(); ++i) {
    Layer& l = layers_[i];
    const std::string where = "layer " + std::to_string(i) + " (" + KindName(l.kind) + "): ";
    l.in_size = Tensor::Count(shape);
    l.weight_size = l.bias_size = 0;
    switch (l.kind) {
      case LayerKind::kDense: {
        if (shape.size() != 1)
          return where + "needs a rank-1 input, got " + ShapeText(shape) + " (add a Flatten)";
        if (l.units < 1) return where + "needs at least 1 unit";
        l.weight_size = static_cast<size_t>(l.units) * l.in_size;
        l.bias_size = l.bias ? static_cast<size_t>(l.units) : 0;
        shape = {l.units};
        break;
      }
      case LayerKind::kReLU:
      case LayerKind::kLeakyReLU:
      case LayerKind::kSigmoid:
      case LayerKind::kTanh:
        break;
      case LayerKind::kConv2d: {
        if (shape.size() != 3) return where + "needs a CHW input, got " + ShapeText(shape);
        Conv2dParams p;
        p.in_c = shape[0];
        p.in_h = shape[1];
        p.in_w = shape[2];
        p.out_c = l.units;
        p.k_h = p.k_w = l.k;
        p.stride_h = p.stride_w = l.stride;
        p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = l.pad;
        const std::string err = Conv2dValidate(p);
        if (!err.empty()) return where + err;
        if (p.out_h() < 1 || p.out_w() < 1) return where + "the kernel does not fit the input";
        l.conv = p;
        l.weight_size = p.weight_size();
        l.bias_size = l.bias ? static_cast<size_t>(l.units) : 0;
        shape = {p.out_c, p.out_h(), p.out_w()};
        break;
      }
      case LayerKind::kMaxPool2d: {
        if (shape.size() != 3) return where + "needs a CHW input, got " + ShapeText(shape);
        Pool2dParams p;
        p.c = shape[0];
        p.h = shape[1];
        p.w = shape[2];
        p.k_h = p.k_w = l.k;
        p.stride_h = p.stride_w = l.stride;
        const std::string err = Pool2dValidate(p);
        if (!err.empty()) return where + err;
        if (p.out_h() < 1 || p.out_w() < 1) return where + "the window does not fit the input";
        l.pool = p;
        shape = {p.c, p.out_h(), p.out_w()};
        break;
      }
      case LayerKind::kFlatten:
        shape = {static_cast<int>(l.in_size)};
        break;
    }
    l.shape = shape;
    l.out_size = Tensor::Count(shape);
    l.weight_offset = n_params;
    l.bias_offset = n_params + l.weight_size;
    n_params += l.weight_size + l.bias_size;
    if (l.kind == LayerKind::kMaxPool2d) {
      argmax_offsets.push_back(n_argmax);
      n_argmax += static_cast<size_t>(max_batch) * l.out_size;
    } else {
      argmax_offsets.push_back(0);
    }
    sizes_.push_back(l.out_size);
  }
  if (loss_ == LossKind::kSoftmaxCrossEntropy && shape.size() != 1)
    return "the softmax cross-entropy head needs rank-1 logits, got " + ShapeText(shape);

  act_offsets_.clear();
  size_t n_acts = 0;
  for (size_t s : sizes_) {
    act_offsets_.push_back(n_acts);
    n_acts += static_cast<size_t>(max_batch) * s;
  }
  params_.assign(n_params, 0.0f);
  grads_.assign(n_params, 0.0f);
  acts_.assign(n_acts, 0.0f);
  dacts_.assign(n_acts, 0.0f);
  argmax_.assign(n_argmax, 0);
  argmax_offsets_ = argmax_offsets;
  probs_.assign(static_cast<size_t>(max_batch) * sizes_.back(), 0.0f);

  for (size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = layers_[i];
    const std::string base = std::string(KindName(l.kind)) + std::to_string(i);
    if (l.weight_size) {
      ParamView v;
      v.name = base + ".weight";
      v.layer = static_cast<int>(i);
      v.shape = l.kind == LayerKind::kDense
                    ? std::vector<int>{l.units, static_cast<int>(l.in_size)}
                    : std::vector<int>{l.conv.out_c, l.conv.in_c, l.conv.k_h, l.conv.k_w};
      v.offset = l.weight_offset;
      v.size = l.weight_size;
      param_views_.push_back(v);
    }
    if (l.bias_size) {
      ParamView v;
      v.name = base + ".bias";
      v.layer = static_cast<int>(i);
      v.shape = {static_cast<int>(l.bias_size)};
      v.offset = l.bias_offset;
      v.size = l.bias_size;
      param_views_.push_back(v);
    }
  }
  for (ParamView& v : param_views_) {
    v.data = params_.data() + v.offset;
    v.grad = grads_.data() + v.offset;
  }
  built_ = true;
  return "";
}

void Network::InitParams(uint64_t seed) {
  Pcg32 rng(seed);
  std::fill(params_.begin(), params_.end(), 0.0f);
  for (const Layer& l : layers_) {
    if (!l.weight_size) continue;
    double fan_in, fan_out;
    if (l.kind == LayerKind::kDense) {
      fan_in = static_cast<double>(l.in_size);
      fan_out = l.units;
    } else {
      const double area = static_cast<double>(l.conv.k_h) * l.conv.k_w;
      fan_in = l.conv.in_c * area;
      fan_out = l.conv.out_c * area;
    }
    const float limit = static_cast<float>(std::sqrt(6.0 / (fan_in + fan_out)));
    float* w = params_.data() + l.weight_offset;
    for (size_t j = 0; j < l.weight_size; ++j) w[j] = limit * (2.0f * rng.NextFloat01() - 1.0f);
  }
}

const float* Network::layer_output(int i) const {
  return acts_.data() + act_offsets_[static_cast<size_t>(i) + 1];
}
const float* Network::layer_grad(int i) const {
  return dacts_.data() + act_offsets_[static_cast<size_t>(i) + 1];
}
const std::vector<int>& Network::output_shape() const {
  return layers_.empty() ? input_shape_ : layers_.back().shape;
}

const float* Network::Forward(const float* x, int batch) {
  batch_ = 0;
  if (!built_ || batch < 1 || batch > max_batch_) return nullptr;
  const size_t nb = static_cast<size_t>(batch);
  std::memcpy(act(0), x, nb * sizes_[0] * sizeof(float));
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = layers_[i];
    const float* in = act(i);
    float* out = act(i + 1);
    const float* w = params_.data() + l.weight_offset;
    const float* b = l.bias_size ? params_.data() + l.bias_offset : nullptr;
    const size_t n = nb * l.out_size;
    switch (l.kind) {
      case LayerKind::kDense:
        dense_forward(batch, static_cast<int>(l.in_size), l.units, in, w, b, out);
        break;
      case LayerKind::kReLU:
        relu_forward(in, out, n);
        break;
      case LayerKind::kLeakyReLU:
        leaky_relu_forward(in, out, n, l.slope);
        break;
      case LayerKind::kSigmoid:
        sigmoid_forward_ref(in, out, n);
        break;
      case LayerKind::kTanh:
        tanh_forward_ref(in, out, n);
        break;
      case LayerKind::kConv2d:
        for (size_t s = 0; s < nb; ++s)
          conv2d_forward(l.conv, in + s * l.in_size, w, b, out + s * l.out_size);
        break;
      case LayerKind::kMaxPool2d: {
        int* am = argmax_.data() + argmax_offsets_[i];
        for (size_t s = 0; s < nb; ++s)
          maxpool2d_forward_ref(l.pool, in + s * l.in_size, out + s * l.out_size,
                                am + s * l.out_size);
        break;
      }
      case LayerKind::kFlatten:
        std::memcpy(out, in, n * sizeof(float));
        break;
    }
  }
  batch_ = batch;
  return act(layers_.size());
}

void Network::BackwardLayers(int batch) {
  const size_t nb = static_cast<size_t>(batch);
  // The loss head has accumulated into dact(L); clear every other gradient first.
  std::fill(grads_.begin(), grads_.end(), 0.0f);
  std::fill(dacts_.begin(), dacts_.begin() + static_cast<std::ptrdiff_t>(act_offsets_.back()),
            0.0f);
  for (size_t i = layers_.size(); i-- > 0;) {
    const Layer& l = layers_[i];
    const float* in = act(i);
    const float* out = act(i + 1);
    const float* dout = dact(i + 1);
    float* din = i == 0 ? nullptr : dact(i);  // the input's gradient is not wanted
    const float* w = params_.data() + l.weight_offset;
    float* dw = grads_.data() + l.weight_offset;
    float* db = l.bias_size ? grads_.data() + l.bias_offset : nullptr;
    const size_t n = nb * l.out_size;
    switch (l.kind) {
      case LayerKind::kDense:
        dense_backward(batch, static_cast<int>(l.in_size), l.units, in, w, dout, din, dw, db);
        break;
      case LayerKind::kConv2d:
        for (size_t s = 0; s < nb; ++s)
          conv2d_backward_ref(l.conv, in + s * l.in_size, w, dout + s * l.out_size,
                              din ? din + s * l.in_size : nullptr, dw, db);
        break;
      default:
        if (!din) break;  // parameter-free first layer: nothing to pass back
        switch (l.kind) {
          case LayerKind::kReLU:
            relu_backward(in, dout, din, n);
            break;
          case LayerKind::kLeakyReLU:
            leaky_relu_backward(in, dout, din, n, l.slope);
            break;
          case LayerKind::kSigmoid:
            sigmoid_backward_ref(out, dout, din, n);
            break;
          case LayerKind::kTanh:
            tanh_backward_ref(out, dout, din, n);
            break;
          case LayerKind::kMaxPool2d: {
            const int* am = argmax_.data() + argmax_offsets_[i];
            for (size_t s = 0; s < nb; ++s)
              maxpool2d_backward_ref(l.pool, am + s * l.out_size, dout + s * l.out_size,
                                     din + s * l.in_size);
            break;
          }
          case LayerKind::kFlatten:
            for (size_t j = 0; j < n; ++j) din[j] += dout[j];
            break;
          default:
            break;
        }
    }
  }
}

float Network::Backward(const int* targets) {
  if (batch_ < 1 || loss_ != LossKind::kSoftmaxCrossEntropy) return kNaN;
  const int c = static_cast<int>(sizes_.back());
  const float* logits = act(layers_.size());
  const float loss = softmax_cross_entropy_forward(batch_, c, logits, targets, probs_.data());
  float* dlogits = dact(layers_.size());
  std::fill(dlogits, dlogits + static_cast<size_t>(batch_) * sizes_.back(), 0.0f);
  softmax_cross_entropy_backward(batch_, c, probs_.data(), targets, 1.0f, dlogits);
  BackwardLayers(batch_);
  return loss;
}

float Network::BackwardMse(const float* targets) {
  if (batch_ < 1 || loss_ != LossKind::kMse) return kNaN;
  const size_t count = static_cast<size_t>(batch_) * sizes_.back();
  const float* y = act(layers_.size());
  const float loss = mse_forward(count, y, targets);
  float* dy = dact(layers_.size());
  std::fill(dy, dy + count, 0.0f);
  mse_backward(count, y, targets, 1.0f, dy);
  BackwardLayers(batch_);
  return loss;
}

float Network::TrainStep(const float* x, const int* targets, int batch) {
  if (!Forward(x, batch)) return kNaN;
  return Backward(targets);
}

float Network::TrainStepMse(const float* x, const float* targets, int batch) {
  if (!Forward(x, batch)) return kNaN;
  return BackwardMse(targets);
}

float Network::Loss(const float* x, const int* targets, int batch) {
  if (loss_ != LossKind::kSoftmaxCrossEntropy) return kNaN;
  const float* logits = Forward(x, batch);
  if (!logits) return kNaN;
  return softmax_cross_entropy_forward(batch, static_cast<int>(sizes_.back()), logits, targets,
                                       probs_.data());
}

float Network::LossMse(const float* x, const float* targets, int batch) {
  if (loss_ != LossKind::kMse) return kNaN;
  const float* y = Forward(x, batch);
  if (!y) return kNaN;
  return mse_forward(static_cast<size_t>(batch) * sizes_.back(), y, targets);
}

std::vector<BufferInfo> Network::Buffers() const {
  return {{params_.data(), params_.capacity()}, {grads_.data(), grads_.capacity()},
          {acts_.data(), acts_.capacity()},     {dacts_.data(), dacts_.capacity()},
          {argmax_.data(), argmax_.capacity()}, {probs_.data(), probs_.capacity()}};
}

}  // namespace nnplay
