// softmax_export.cpp: the softmax lab as a PyTorch or NumPy script (export.h).
// The naive form runs in float32, as the lab (and a float32 framework) computes it, so
// the script shows the same overflow; the stable form and the probabilities in float64.
#include "labs/export.h"
#include "labs/export_text.h"
#include "labs/softmax_lab.h"

namespace nnplay {

bool ExportSoftmaxLab(const Link& link, ExportLanguage language, std::string* script,
                      LinkError* error) {
  SoftmaxLabState s;
  if (!DecodeSoftmaxLab(link, &s, error)) return false;
  const bool torch = language == ExportLanguage::kTorch;
  std::string py = ScriptHeader("softmax lab: p = softmax(x / T)", EncodeSoftmaxLab(s), torch);
  if (torch) {
    py += "import torch\nimport torch.nn.functional as F\n\n";
    py += "x = torch.tensor(" + PyList(s.logits) + ", dtype=torch.float64)  # the logits\n";
  } else {
    py += "import numpy as np\n\n";
    py += "x = np.array(" + PyList(s.logits) + ", dtype=np.float64)  # the logits\n";
  }
  py += "T = " + PyNum(s.temperature) + "  # the temperature\n\n";

  py +=
      "# The naive form, as written on paper, in float32 (the lab's precision): exp(x_i/T)\n"
      "# overflows to inf above about exp(88.7), and the sum with it.\n";
  if (torch) {
    py +=
        "x32 = x.float()\n"
        "exps = torch.exp(x32 / T)\n"
        "total = exps.sum()\n"
        "overflow = not bool(torch.isfinite(total))\n";
  } else {
    py +=
        "x32 = x.astype(np.float32)\n"
        "with np.errstate(over='ignore'):\n"
        "    exps = np.exp(x32 / np.float32(T))\n"
        "    total = exps.sum(dtype=np.float32)\n"
        "overflow = not bool(np.isfinite(total))\n";
  }
  py +=
      "print('exp(x/T) =', exps.tolist())\n"
      "print('sum =', float(total), '(overflow!)' if overflow else '')\n\n";

  py +=
      "# The stable form: subtract the largest logit m first, so every exponent is <= 0\n"
      "# and the largest exponential is exactly 1. Dividing by exp(m/T) cancels in p.\n";
  py += "m = x.max()\n";
  py += "shifted = (x - m) / T\n";
  py += torch ? "exps_stable = torch.exp(shifted)\n" : "exps_stable = np.exp(shifted)\n";
  py += "sum_stable = exps_stable.sum()\n";
  py +=
      "print('(x - max)/T =', shifted.tolist())\n"
      "print('exp((x - max)/T) =', exps_stable.tolist(), ' sum =', float(sum_stable))\n\n";

  py += "# The probabilities p_i = exp(x_i/T) / sum_j exp(x_j/T).\n";
  if (torch) {
    py += "p = F.softmax(x / T, dim=0)  # PyTorch subtracts the max itself\n";
  } else {
    py += "p = exps_stable / sum_stable\n";
  }
  py += "print('p =', p.tolist())\n\n";

  py += "# With one logit, softmax is always 1: a 1-unit output wants the sigmoid instead.\n";
  py += torch ? "sigmoid = torch.sigmoid(x[0] / T)\n"
              : "with np.errstate(over='ignore'):  # exp(-x/T) = inf gives sigmoid 0\n"
                "    sigmoid = 1 / (1 + np.exp(-x[0] / T))\n";
  py += "print('sigmoid(x_1/T) =', float(sigmoid))\n\n";

  py +=
      "results = {\n"
      "    'exps': exps, 'sum': total, 'overflow': overflow,\n"
      "    'max': m, 'shifted': shifted, 'exps_stable': exps_stable, 'sum_stable': sum_stable,\n"
      "    'p': p, 'single': len(x) == 1, 'sigmoid': sigmoid,\n"
      "}\n";
  *script = std::move(py);
  return true;
}

}  // namespace nnplay
