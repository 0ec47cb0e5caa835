// fashion.h: Fashion-MNIST as the cnn lab reads it (Zalando's 28x28 grayscale clothing images,
// 10 classes), from one asset baked at build time from Debian's dataset-fashion-mnist IDX files
// (cmake/BakeFashion.cmake): the first 8,000 training and 2,000 test images.
//
// The asset format, version 1: a 24-byte header of little-endian uint32s
//   "NNFM" (the bytes 4E 4E 46 4D), 1 (the version), n_train, n_test, 28 (rows), 28 (columns)
// then n_train images of rows * columns uint8 (row-major, 0 = background, 255 = full ink), the
// n_train labels (uint8, 0..9), the n_test images and the n_test labels, in the IDX files' order.
//
// The engine never reads files by itself in the page: the web fetches the asset and hands the
// bytes to SetFashionAsset; the CLI names the file (SetFashionAssetPath), read on first use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nnplay {

struct FashionLimits {
  static constexpr int kSide = 28;
  static constexpr int kClasses = 10;
  static constexpr int kMaxImages = 70000;  // Fashion-MNIST has 60,000 + 10,000
};

struct FashionData {
  int train = 0, test = 0;                                // image counts
  std::vector<uint8_t> train_x, train_y, test_x, test_y;  // [n, 28, 28] and [n]
};

// "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
// "Ankle boot"; "?" outside 0..9.
const char* FashionClassName(int label);

// Parses an asset; false with a message naming what is wrong (nothing in *out changes).
bool ParseFashionAsset(const uint8_t* bytes, size_t size, FashionData* out, std::string* error);

// The process-wide copy the cnn lab trains on. SetFashionAsset parses bytes (and keeps the
// previous copy when they are bad); FashionAsset() is the copy, or null with *error saying why
// (not loaded yet, or the file named by SetFashionAssetPath is missing or bad: read once, on
// first use; naming a path drops the copy held).
bool SetFashionAsset(const uint8_t* bytes, size_t size, std::string* error);
void SetFashionAssetPath(const std::string& path);
const FashionData* FashionAsset(std::string* error);

}  // namespace nnplay
