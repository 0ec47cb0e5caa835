// fashion.cpp: the Fashion-MNIST asset's parser and the process-wide copy. See fashion.h.
#include "data/fashion.h"

#include <cstdio>
#include <memory>

namespace nnplay {
namespace {

const char* const kNames[FashionLimits::kClasses] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

constexpr size_t kHeader = 24;
constexpr size_t kMaxAssetBytes =
    kHeader + static_cast<size_t>(FashionLimits::kMaxImages) * (28 * 28 + 1);

uint32_t U32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

struct Store {
  std::unique_ptr<FashionData> data;
  std::string path;
  std::string error = "the Fashion-MNIST images are not loaded";
  bool tried_path = false;
};

Store& TheStore() {
  static Store store;
  return store;
}

}  // namespace

const char* FashionClassName(int label) {
  return label >= 0 && label < FashionLimits::kClasses ? kNames[label] : "?";
}

bool ParseFashionAsset(const uint8_t* bytes, size_t size, FashionData* out, std::string* error) {
  if (size < kHeader || bytes[0] != 'N' || bytes[1] != 'N' || bytes[2] != 'F' || bytes[3] != 'M')
    return *error = "not a Fashion-MNIST asset (no NNFM header)", false;
  if (U32(bytes + 4) != 1)
    return *error =
               "Fashion-MNIST asset version " + std::to_string(U32(bytes + 4)) + ", expected 1",
           false;
  const uint32_t train = U32(bytes + 8), test = U32(bytes + 12);
  if (U32(bytes + 16) != 28 || U32(bytes + 20) != 28)
    return *error = "Fashion-MNIST asset images are not 28x28", false;
  if (train < 1 || test < 1 || train > FashionLimits::kMaxImages ||
      test > FashionLimits::kMaxImages - train)
    return *error = "Fashion-MNIST asset counts out of range", false;
  const size_t px = 28 * 28;
  const size_t want = kHeader + (static_cast<size_t>(train) + test) * (px + 1);
  if (size != want || size > kMaxAssetBytes)
    return *error = "Fashion-MNIST asset is " + std::to_string(size) + " bytes, expected " +
                    std::to_string(want) + " (truncated or damaged)",
           false;
  FashionData d;
  d.train = static_cast<int>(train);
  d.test = static_cast<int>(test);
  const uint8_t* p = bytes + kHeader;
  d.train_x.assign(p, p + train * px);
  p += train * px;
  d.train_y.assign(p, p + train);
  p += train;
  d.test_x.assign(p, p + test * px);
  p += test * px;
  d.test_y.assign(p, p + test);
  for (uint8_t y : d.train_y)
    if (y >= FashionLimits::kClasses) return *error = "Fashion-MNIST label above 9", false;
  for (uint8_t y : d.test_y)
    if (y >= FashionLimits::kClasses) return *error = "Fashion-MNIST label above 9", false;
  *out = std::move(d);
  return true;
}

bool SetFashionAsset(const uint8_t* bytes, size_t size, std::string* error) {
  auto d = std::make_unique<FashionData>();
  if (!ParseFashionAsset(bytes, size, d.get(), error)) return false;
  Store& s = TheStore();
  s.data = std::move(d);
  s.error.clear();
  return true;
}

void SetFashionAssetPath(const std::string& path) {
  Store& s = TheStore();
  s.path = path;
  s.tried_path = false;
  s.data.reset();
  s.error = "the Fashion-MNIST images are not loaded";
}

const FashionData* FashionAsset(std::string* error) {
  Store& s = TheStore();
  if (!s.data && !s.path.empty() && !s.tried_path) {
    s.tried_path = true;
    std::FILE* f = std::fopen(s.path.c_str(), "rb");
    if (!f) {
      s.error = "cannot open the Fashion-MNIST asset " + s.path +
                " (build it: cmake --build <build> --target nnplay_fashion_asset, or set "
                "NNPLAY_FASHION_ASSET)";
    } else {
      std::vector<uint8_t> bytes;
      uint8_t buf[65536];
      size_t n = 0;
      bool too_big = false;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        bytes.insert(bytes.end(), buf, buf + n);
        if (bytes.size() > kMaxAssetBytes) {
          too_big = true;
          break;
        }
      }
      std::fclose(f);
      std::string why;
      if (too_big) {
        s.error = s.path + ": larger than any Fashion-MNIST asset";
      } else if (!SetFashionAsset(bytes.data(), bytes.size(), &why)) {
        s.error = s.path + ": " + why;
      }
    }
  }
  if (!s.data && error) *error = s.error;
  return s.data.get();
}

}  // namespace nnplay
