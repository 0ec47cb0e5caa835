// dump_cnn_data.cpp: prints the CNN lab's dataset for cnn_golden.py (the images the lab
// draws from a seed; everything else the script computes itself). Not part of any build;
// after a native build (cmake --preset native && cmake --build build/native):
//
//   g++ -std=c++17 -fsanitize=address,undefined -Iengine tests/engine/golden/dump_cnn_data.cpp \
//       build/native/engine/libnnplay_engine.a -o /tmp/dump_cnn_data && /tmp/dump_cnn_data
//
// Output: Python assignments, one image a line as hex (bit i of the image's bit string is
// pixel i, row-major, most significant bit first): the dataset must have noise 0, so every
// pixel is exactly 0 or 1 (checked).
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "labs/cnn_lab.h"

namespace {

void Dump(const char* name, const std::vector<float>& x, const std::vector<int>& y, size_t px) {
  std::printf("%s = [\n", name);
  for (size_t i = 0; i < y.size(); ++i) {
    std::printf("    (%d, \"", y[i]);
    for (size_t j = 0; j < px; j += 4) {
      int nibble = 0;
      for (size_t b = 0; b < 4; ++b) {
        const float v = x[i * px + j + b];
        if (v != 0.0f && v != 1.0f) {
          std::fprintf(stderr, "pixel %zu of image %zu is %g, not 0 or 1\n", j + b, i, v);
          std::exit(1);
        }
        nibble = nibble * 2 + (v == 1.0f);
      }
      std::printf("%x", nibble);
    }
    std::printf("\"),\n");
  }
  std::printf("]\n");
}

}  // namespace

int main() {
  // The golden run's data (cnn_golden.py: DATA, SIZE, SEED).
  const nnplay::CnnDataset d = nnplay::MakeCnnDataset(nnplay::CnnDataKind::kBars, 16, 0.0f, 1);
  const size_t px = static_cast<size_t>(d.size) * static_cast<size_t>(d.size);
  Dump("TRAIN", d.train_x, d.train_y, px);
  Dump("TEST", d.test_x, d.test_y, px);
  return 0;
}
