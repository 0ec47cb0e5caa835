// dropout_export.cpp: the dropout lab as a PyTorch or NumPy script (export.h). The lab's
// masks come from its own generator (PCG32, mask k from seed + k), which PyTorch's is not:
// the mask shown is written out as data, and so is how often each unit was kept over the
// many masks, so the script reproduces the lab exactly; the PyTorch script then also
// draws its own masks with F.dropout to show the same convergence.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "labs/dropout_lab.h"
#include "labs/export.h"
#include "labs/export_text.h"

namespace nnplay {

bool ExportDropoutLab(const Link& link, ExportLanguage language, std::string* script,
                      LinkError* error) {
  DropoutLabState s;
  if (!DecodeDropoutLab(link, &s, error)) return false;
  const bool torch = language == ExportLanguage::kTorch;
  const bool standard = s.kind == DropoutKind::kStandard;
  const int n = s.activations.dim(0);
  const size_t ns = static_cast<size_t>(n);
  // The lab's masks: the one shown (sample 0) and how often each unit was kept in all.
  Tensor mask({n}), kept({n});
  dropout_mask(static_cast<uint64_t>(s.seed), s.keep, mask.data(), ns);
  std::vector<float> m(ns);
  for (int k = 0; k < s.samples; ++k) {
    dropout_mask(static_cast<uint64_t>(s.seed) + static_cast<uint64_t>(k), s.keep, m.data(), ns);
    for (size_t i = 0; i < ns; ++i) kept[i] += m[i];
  }
  const int unit = std::min(s.unit, n - 1);
  auto vec = [&](const Tensor& t) {
    return (torch ? "torch.tensor(" : "np.array(") + PyList(t) +
           (torch ? ", dtype=torch.float64)" : ", dtype=np.float64)");
  };

  std::string py =
      ScriptHeader(std::string("dropout lab: ") + (standard ? "standard dropout (x p at test time)"
                                                            : "inverted dropout (/ p in training)"),
                   EncodeDropoutLab(s), torch);
  py += torch ? "import torch\nimport torch.nn.functional as F\n\n" : "import numpy as np\n\n";
  py += "a = " + vec(s.activations) + "  # the layer's activations\n";
  py +=
      "p = " + PyNum(s.keep) + "  # the keep probability: each unit is kept with probability p\n\n";

  py += "# The mask the lab drew (seed " + std::to_string(s.seed) +
        "): 1 = kept, 0 = dropped. nnplay's random generator is\n"
        "# not PyTorch's, so the mask is written out rather than drawn again.\n";
  py += "mask = " + vec(mask) + "\n";
  py += "kept = int(mask.sum())\n";
  if (standard) {
    py +=
        "# Standard dropout: training keeps or zeroes each unit; at test time every unit\n"
        "# is kept and scaled by p, so the test output equals the training output's mean.\n";
    py += "train_scale, test_scale = 1.0, p\n";
  } else {
    py +=
        "# Inverted dropout (what PyTorch's F.dropout and nn.Dropout do): the kept units are\n"
        "# divided by p in training, so nothing is left to do at test time.\n";
    py += "train_scale, test_scale = 1 / p, 1.0\n";
  }
  py += "train = mask * a * train_scale  # y_train with this mask\n";
  py +=
      "expect_train = p * (train_scale * a) + (1 - p) * 0  # E[y_train]: kept with probability p\n";
  py += "test = test_scale * a  # y_test\n";
  py += "print('mask =', mask.tolist(), ' kept', kept, 'of', len(a))\n";
  py += "print('y_train =', train.tolist())\nprint('E[y_train] =', expect_train.tolist())\n";
  py += "print('y_test =', test.tolist())\n\n";

  py += "# Averaging y_train over many masks approaches y_test. The lab drew " +
        std::to_string(s.samples) +
        " masks (mask k from\n# seed + k); this is how often each unit was kept in them:\n";
  py += "times_kept = " + vec(kept) + "\n";
  py += "samples = " + std::to_string(s.samples) + "\n";
  py += "mean_train = times_kept / samples * train_scale * a\n";
  py += torch ? "max_gap = float((mean_train - test).abs().max())\n"
              : "max_gap = float(np.abs(mean_train - test).max())\n";
  py +=
      "print('mean of y_train over', samples, 'masks =', mean_train.tolist(), ' largest gap to "
      "y_test:', max_gap)\n";
  if (torch && !standard) {
    py += "# PyTorch's own masks (F.dropout drops with probability 1 - p) converge the same way.\n";
    py += "torch.manual_seed(" + std::to_string(s.seed) + ")\n";
    py += "own = F.dropout(a.expand(samples, -1), 1 - p, training=True).mean(dim=0)\n";
    py += "print('with PyTorch\\'s masks:', own.tolist())\n";
  }
  py +=
      "\nresults = {\n"
      "    'train_scale': train_scale, 'test_scale': test_scale, 'mask': mask, 'kept': kept,\n"
      "    'train': train, 'expect_train': expect_train, 'test': test,\n"
      "    'mean_train': mean_train, 'max_gap': max_gap, 'curve_last': mean_train[" +
      std::to_string(unit) + "],\n}\n";
  *script = std::move(py);
  return true;
}

}  // namespace nnplay
