// tensor.h: a dense float32 tensor, row-major (the last dimension is contiguous).
//
// The engine's layouts: images and feature maps are CHW (channels, height, width);
// convolution filters are OIHW (output channels, input channels per group, kernel
// height, kernel width). A tensor owns its storage; kernels take raw pointers.
#pragma once

#include <cstddef>
#include <vector>

namespace nnplay {

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::vector<int> shape, float fill = 0.0f);

  const std::vector<int>& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int dim(int i) const { return shape_[static_cast<size_t>(i)]; }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  std::vector<float>& values() { return data_; }
  const std::vector<float>& values() const { return data_; }
  float& operator[](size_t i) { return data_[i]; }
  float operator[](size_t i) const { return data_[i]; }

  // Element access for rank-2 (y, x) and rank-3 (c, y, x) tensors.
  float& at(int y, int x) { return data_[Offset(y, x)]; }
  float at(int y, int x) const { return data_[Offset(y, x)]; }
  float& at(int c, int y, int x) { return data_[Offset(c, y, x)]; }
  float at(int c, int y, int x) const { return data_[Offset(c, y, x)]; }
  // Rank-4 (o, c, y, x), e.g. OIHW filters.
  float& at4(int o, int c, int y, int x) { return data_[Offset(o * shape_[rank() - 3] + c, y, x)]; }
  float at4(int o, int c, int y, int x) const {
    return data_[Offset(o * shape_[rank() - 3] + c, y, x)];
  }
  // The start of the h × w plane i of a tensor whose last two axes are h × w.
  float* plane(int i) {
    return data_.data() + static_cast<size_t>(i) * static_cast<size_t>(shape_[rank() - 2]) *
                              static_cast<size_t>(shape_[rank() - 1]);
  }
  const float* plane(int i) const {
    return data_.data() + static_cast<size_t>(i) * static_cast<size_t>(shape_[rank() - 2]) *
                              static_cast<size_t>(shape_[rank() - 1]);
  }

  bool operator==(const Tensor& other) const {
    return shape_ == other.shape_ && data_ == other.data_;
  }
  bool operator!=(const Tensor& other) const { return !(*this == other); }

  // Changes the shape (same rank, or any rank from an empty tensor), keeping the values
  // whose indices still fit (aligned at index 0 on every axis); new cells get `fill`.
  void Resize(const std::vector<int>& shape, float fill = 0.0f);

  // Gives the same values a new shape with the same number of elements (else no change).
  void Reshape(std::vector<int> shape) {
    if (Count(shape) == data_.size()) shape_ = std::move(shape);
  }

  // Number of elements of a shape; 0 for an empty shape.
  static size_t Count(const std::vector<int>& shape);

 private:
  size_t Offset(int y, int x) const {
    return static_cast<size_t>(y) * static_cast<size_t>(shape_[rank() - 1]) +
           static_cast<size_t>(x);
  }
  size_t Offset(int c, int y, int x) const {
    return (static_cast<size_t>(c) * static_cast<size_t>(shape_[rank() - 2]) +
            static_cast<size_t>(y)) *
               static_cast<size_t>(shape_[rank() - 1]) +
           static_cast<size_t>(x);
  }

  std::vector<int> shape_;
  std::vector<float> data_;
};

}  // namespace nnplay
