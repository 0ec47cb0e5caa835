// cnn_presets.cpp: the CNN lab's presets, one per dataset, each with a noise-free drawing of
// one of its classes already on the canvas.
#include "labs/cnn_lab.h"

namespace nnplay {
namespace {

CnnLabState Make(CnnDataKind data, int size, int blocks, int f1, int f2, int k, CnnOptimizer opt,
                 float lr, int draw_label) {
  CnnLabState s;
  s.data = data;
  s.size = size;
  s.noise = 0.1f;
  s.blocks = blocks;
  s.f1 = f1;
  s.f2 = f2;
  s.k = k;
  s.opt = opt;
  s.lr = lr;
  s.draw = Tensor({size, size});
  Pcg32 rng(7, 11);
  DrawCnnImage(data, size, draw_label, &rng, s.draw.data());
  return s;
}

// The bars network trained with weight decay: decay shrinks every weight the task does not
// need, so each filter keeps only its learned stripe or edge (the bars preset's filters stay
// mostly at their random start once its loss is small). Noise 0.2 penalises speckled
// filters too. SGD: lr 0.05, momentum 0.9, decay 0.05.
CnnLabState Edges() {
  CnnLabState s = Make(CnnDataKind::kBars, 16, 1, 4, 8, 5, CnnOptimizer::kSgd, 0.05f, 2);
  s.noise = 0.2f;
  s.decay = 0.05f;
  return s;
}

}  // namespace

CnnLabState CnnFashionSetup(const CnnLabState& from) {
  CnnLabState s = from;
  s.data = CnnDataKind::kFashion;
  s.size = CnnLabLimits::kFashionSize;
  s.noise = 0.0f;
  s.blocks = 2;
  s.f1 = 8;
  s.f2 = 16;
  s.k = 5;
  s.opt = CnnOptimizer::kAdam;
  s.lr = 0.002f;  // batch 32, lr 0.002: the fastest to 85 % of a few tried (bench/README.md)
  s.batch = 32;
  s.decay = 0.0f;
  s.steps = 0;
  s.draw = Tensor({s.size, s.size});
  return s;
}

const std::vector<CnnPreset>& CnnPresets() {
  static const std::vector<CnnPreset> presets = {
      {"bars", "Bars: 4 orientations, one block of 4 filters 5x5 (edge detectors)",
       Make(CnnDataKind::kBars, 16, 1, 4, 8, 5, CnnOptimizer::kAdam, 0.01f, 0)},
      {"shapes", "Shapes: square, circle, triangle, cross; two blocks of 8 filters 3x3",
       Make(CnnDataKind::kShapes, 16, 2, 8, 8, 3, CnnOptimizer::kAdam, 0.01f, 1)},
      {"digits", "Digits 0-9 drawn in strokes; two blocks, 8 and 16 filters 3x3",
       Make(CnnDataKind::kDigits, 16, 2, 8, 16, 3, CnnOptimizer::kAdam, 0.01f, 3)},
      {"digits24-sgd", "Digits at 24x24, one block of 8 filters 5x5, SGD with momentum",
       Make(CnnDataKind::kDigits, 24, 1, 8, 8, 5, CnnOptimizer::kSgd, 0.02f, 7)},
      {"edges", "Edges: the bars network with weight decay; every filter becomes a stripe",
       Edges()},
  };
  return presets;
}

}  // namespace nnplay
