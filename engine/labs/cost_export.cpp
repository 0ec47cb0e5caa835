// cost_export.cpp: the cost calculator as a PyTorch or NumPy script (export.h).
// PyTorch builds the layer from nn.Conv2d / nn.MaxPool2d / nn.Linear on the "meta" device
// (shapes, no numbers, no memory: a 1024-channel layer costs nothing) and counts
// parameters as sum(p.numel()) and multiplications as outputs x weights per output, from
// the shapes torch computes. NumPy has no layers: the same counts from the shape formulas.
#include <string>

#include "labs/cost_lab.h"
#include "labs/export.h"
#include "labs/export_text.h"

namespace nnplay {
namespace {

std::string I(int v) {
  return std::to_string(v);
}

const char* kTorchHelpers = R"py(def same_pad(x, k, stride):
    """TensorFlow's "same" padding (what the lab uses): output ceil(n / stride), the odd
    padding pixel after. (nn.Conv2d's padding='same' exists for stride 1 only.)"""
    pads = []
    for n in (x.shape[3], x.shape[2]):  # F.pad takes the width's padding first
        out = -(-n // stride)
        total = max((out - 1) * stride + k - n, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


def conv(x, filters, k, stride=1, same=True):
    """One k x k convolution on x: its output, parameters and multiplications."""
    layer = nn.Conv2d(x.shape[1], filters, k, stride=stride, bias=bias, device='meta')
    y = layer(same_pad(x, k, stride) if same else x)
    params = sum(p.numel() for p in layer.parameters())
    mults = y.numel() * layer.weight[0].numel()  # each output: a k*k*C_in dot product
    return y, params, mults


def pool(x):
    """The pool branch's 3x3 max pool, stride 1, "same": comparisons, no weights."""
    return nn.MaxPool2d(3, stride=1, padding=1)(x), 0, 0


def hwc(y):  # the lab writes shapes as H x W x C; PyTorch's order is N, C, H, W
    return [y.shape[2], y.shape[3], y.shape[1]]


def dense(n_in, n_out):
    """One fully connected layer from n_in to n_out values (on 'meta': no memory)."""
    fc = nn.Linear(n_in, n_out, bias=bias, device='meta')
    return sum(p.numel() for p in fc.parameters()), fc.weight.numel()
)py";

const char* kNumpyHelpers =
    R"py(class Shape:  # a feature map's shape, H x W x C (no numbers needed to count)
    def __init__(self, h, w, c):
        self.h, self.w, self.c = h, w, c


def conv(x, filters, k, stride=1, same=True):
    """One k x k convolution on x: output shape, parameters and multiplications."""
    if same:  # "same": ceil(n / stride); "valid": floor((n - k) / stride) + 1
        h, w = -(-x.h // stride), -(-x.w // stride)
    else:
        h, w = max((x.h - k) // stride + 1, 0), max((x.w - k) // stride + 1, 0)
    y = Shape(h, w, filters)
    weights = np.prod([filters, k, k, x.c])  # filters x (k x k x C_in)
    params = int(weights + (filters if bias else 0))
    mults = int(h * w * filters * k * k * x.c)  # each output: a k*k*C_in dot product
    return y, params, mults


def pool(x):
    """The pool branch's 3x3 max pool, stride 1, "same": comparisons, no weights."""
    return Shape(x.h, x.w, x.c), 0, 0


def hwc(y):
    return [y.h, y.w, y.c]


def dense(n_in, n_out):
    """One fully connected layer from n_in to n_out values."""
    return n_in * n_out + (n_out if bias else 0), n_in * n_out
)py";

}  // namespace

bool ExportCostLab(const Link& link, ExportLanguage language, std::string* script,
                   LinkError* error) {
  CostLabState s;
  if (!DecodeCostLab(link, &s, error)) return false;
  const CostLabResult r = EvaluateCostLab(s);
  const bool torch = language == ExportLanguage::kTorch;
  const std::string same = s.same ? "True" : "False";

  std::string py = ScriptHeader("cost calculator: parameters and multiplications of a layer",
                                EncodeCostLab(s), torch);
  py += torch ? "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"
              : "import numpy as np\n\n";
  py += std::string("bias = ") + (s.bias ? "True" : "False") + "  # one bias per filter\n\n";
  py += torch ? kTorchHelpers : kNumpyHelpers;
  py += "\n\n# The input: " + I(s.h) + " x " + I(s.w) + " x " + I(s.c) + " (H x W x C).\n";
  py += torch ? "x = torch.empty(1, " + I(s.c) + ", " + I(s.h) + ", " + I(s.w) +
                    ", device='meta')  # shapes only\n"
              : "x = Shape(" + I(s.h) + ", " + I(s.w) + ", " + I(s.c) + ")\n";

  if (!r.error.empty()) {
    if (s.mode == CostMode::kInception) {
      py += "print('No output: every branch of the module is off.')\n";
    } else if (torch) {
      py += "try:  # a valid " + I(s.k) + "x" + I(s.k) + " convolution on a smaller input\n";
      py += "    conv(x, " + I(s.n) + ", " + I(s.k) + ", " + I(s.stride) + ", False)\n";
      py += "except Exception as e:\n    print('No output; PyTorch refuses too:', e)\n";
    } else {
      py += "print('No output:', hwc(conv(x, " + I(s.n) + ", " + I(s.k) + ", " + I(s.stride) +
            ", False)[0]))\n";
    }
    py += std::string("results = {'state/input': ") +
          (torch ? "[x.shape[2], x.shape[3], x.shape[1]]" : "hwc(x)") + "}\n";
    *script = std::move(py);
    return true;
  }

  // Branches: each a list of (output, params, mults) steps, as the lab lists them.
  py += "\nbranches = []  # each: the list of its steps (output, parameters, multiplications)\n";
  switch (s.mode) {
    case CostMode::kSingle:
      py += "# One " + I(s.k) + "x" + I(s.k) + " convolution, " + I(s.n) + " filters, stride " +
            I(s.stride) + ", " + (s.same ? "same" : "valid") + " padding.\n";
      py += "branches.append([conv(x, " + I(s.n) + ", " + I(s.k) + ", " + I(s.stride) + ", " +
            same + ")])\n";
      break;
    case CostMode::kBottleneck:
      py += "# A bottleneck: 1x1 down to " + I(s.r) + " channels, then the " + I(s.k) + "x" +
            I(s.k) + " convolution.\n";
      py += "reduced = conv(x, " + I(s.r) + ", 1)\n";
      py += "branches.append([reduced, conv(reduced[0], " + I(s.n) + ", " + I(s.k) + ", " +
            I(s.stride) + ", " + same + ")])\n";
      py += "direct = conv(x, " + I(s.n) + ", " + I(s.k) + ", " + I(s.stride) + ", " + same +
            ")  # the same conv without the reduction\n";
      py += "without_reductions = direct[1:]\n";
      break;
    case CostMode::kInception: {
      py +=
          "# An Inception module: branches side by side (stride 1, same), outputs "
          "concatenated.\n";
      py += "direct = [0, 0]  # the module without its 1x1 reductions\n";
      auto add_direct = [&](const std::string& step) {
        py += "direct = [direct[0] + " + step + "[1], direct[1] + " + step + "[2]]\n";
      };
      if (s.use1) {
        py += "b1 = conv(x, " + I(s.n1) + ", 1)\nbranches.append([b1])  # 1x1\n";
        add_direct("b1");
      }
      auto reduced = [&](const std::string& id, int k, int red, int n) {
        if (red > 0) {
          py += id + "r = conv(x, " + I(red) + ", 1)  # 1x1 reduction\n";
          py +=
              "branches.append([" + id + "r, conv(" + id + "r[0], " + I(n) + ", " + I(k) + ")])\n";
        } else {
          py += "branches.append([conv(x, " + I(n) + ", " + I(k) + ")])  # no reduction\n";
        }
        add_direct("conv(x, " + I(n) + ", " + I(k) + ")");
      };
      if (s.use3) reduced("b3", 3, s.r3, s.n3);
      if (s.use5) reduced("b5", 5, s.r5, s.n5);
      if (s.usep) {
        py += "pooled = pool(x)\nbp = conv(pooled[0], " + I(s.np) +
              ", 1)  # 1x1 projection\nbranches.append([pooled, bp])\n";
        add_direct("bp");
      }
      if (r.has_direct) py += "without_reductions = direct\n";
      break;
    }
  }
  py += R"(
outs = [steps[-1][0] for steps in branches]
)";
  py += torch ? "out = torch.cat(outs, dim=1)  # the branches' channels side by side\n"
              : "out = Shape(outs[0].h, outs[0].w, sum(o.c for o in outs))\n";
  py += torch ? "n_in, n_out = x.numel(), out.numel()\n"
              : "n_in, n_out = x.h * x.w * x.c, out.h * out.w * out.c\n";
  py += R"(params = sum(p for steps in branches for _, p, _ in steps)
mults = sum(m for steps in branches for _, _, m in steps)
fc_params, fc_mults = dense(n_in, n_out)  # the same mapping, fully connected
for i, steps in enumerate(branches):
    for y, p, m in steps:
        print('branch', i + 1, ': output', hwc(y), ' parameters', f'{p:,}', ' multiplications', f'{m:,}')
print('output', hwc(out), ': parameters', f'{params:,}', ' multiplications', f'{mults:,}')
print('fully connected:', f'{fc_params:,}', 'parameters,', f'{fc_mults:,}', 'multiplications:',
      round(fc_mults / mults, 2), 'times more')

results = {'out': hwc(out), 'params': params, 'mults': mults, 'fc/params': fc_params,
           'fc/mults': fc_mults, 'mult_ratio': fc_mults / mults, 'param_ratio': fc_params / params}
for i, steps in enumerate(branches):
    results['branches/%d/out' % i] = hwc(steps[-1][0])
    results['branches/%d/params' % i] = sum(p for _, p, _ in steps)
    results['branches/%d/mults' % i] = sum(m for _, _, m in steps)
    for j, (y, p, m) in enumerate(steps):
        results['branches/%d/steps/%d/in' % (i, j)] = hwc(steps[j - 1][0] if j else x)
        results['branches/%d/steps/%d/out' % (i, j)] = hwc(y)
        results['branches/%d/steps/%d/params' % (i, j)] = p
        results['branches/%d/steps/%d/mults' % (i, j)] = m
)";
  if (s.mode == CostMode::kSingle) {
    py += R"(# Weight sharing: each weight is used at every output position; each output reads
# k*k*C of the inputs.
y = branches[0][0][0]
results.update({'weight_reuse': hwc(y)[0] * hwc(y)[1], 'inputs': n_in,
                'inputs_per_output': )" +
          I(s.k) + " * " + I(s.k) + " * " + I(s.c) + "})\n";
  }
  if (r.has_direct)
    py +=
        "results.update({'without_reductions/params': without_reductions[0],\n"
        "                'without_reductions/mults': without_reductions[1]})\n";
  *script = std::move(py);
  return true;
}

}  // namespace nnplay
