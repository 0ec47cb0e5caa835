// mlp_export.cpp: the neuron & MLP lab as a PyTorch or NumPy script (export.h).
// PyTorch: nn.Linear layers with the lab's weights, torch.nn.functional activations, and
// autograd for every gradient of backward mode. NumPy: the same forward pass and the chain
// rule written out, layer by layer.
#include <string>

#include "labs/export.h"
#include "labs/export_text.h"
#include "labs/mlp_lab.h"

namespace nnplay {
namespace {

std::string TorchActivation(MlpActivation a, const std::string& z) {
  switch (a) {
    case MlpActivation::kLinear:
      return z + "  # linear: a = z";
    case MlpActivation::kRelu:
      return "F.relu(" + z + ")";
    case MlpActivation::kLeakyRelu:
      return "F.leaky_relu(" + z + ", negative_slope=0.01)";
    case MlpActivation::kSigmoid:
      return "torch.sigmoid(" + z + ")";
    case MlpActivation::kTanh:
      return "torch.tanh(" + z + ")";
    case MlpActivation::kSoftmax:
      return "F.softmax(" + z + ", dim=0)";
  }
  return z;
}

// NumPy: the activation, and dL/dz from dL/da (g'(z) elementwise, or softmax's Jacobian).
std::string NumpyActivation(MlpActivation a, const std::string& z) {
  switch (a) {
    case MlpActivation::kLinear:
      return z + ".copy()  # linear: a = z";
    case MlpActivation::kRelu:
      return "np.maximum(" + z + ", 0)  # relu";
    case MlpActivation::kLeakyRelu:
      return "np.where(" + z + " < 0, 0.01 * " + z + ", " + z + ")  # leaky relu";
    case MlpActivation::kSigmoid:
      return "1 / (1 + np.exp(-" + z + "))  # sigmoid";
    case MlpActivation::kTanh:
      return "np.tanh(" + z + ")";
    case MlpActivation::kSoftmax:
      return "softmax(" + z + ")";
  }
  return z;
}
std::string NumpyBackward(MlpActivation a, const std::string& z, const std::string& act,
                          const std::string& da) {
  switch (a) {
    case MlpActivation::kLinear:
      return da + ".copy()  # linear: g'(z) = 1";
    case MlpActivation::kRelu:
      return da + " * (" + z + " > 0)  # relu'(z) = 1 if z > 0 else 0";
    case MlpActivation::kLeakyRelu:
      return da + " * np.where(" + z + " > 0, 1, 0.01)  # leaky relu'(z)";
    case MlpActivation::kSigmoid:
      return da + " * " + act + " * (1 - " + act + ")  # sigmoid'(z) = a (1 - a)";
    case MlpActivation::kTanh:
      return da + " * (1 - " + act + "**2)  # tanh'(z) = 1 - a^2";
    case MlpActivation::kSoftmax:
      return act + " * (" + da + " - " + da + " @ " + act +
             ")  # softmax's Jacobian: dz_i = a_i (da_i - sum_j da_j a_j)";
  }
  return da;
}

}  // namespace

bool ExportMlpLab(const Link& link, ExportLanguage language, std::string* script,
                  LinkError* error) {
  MlpLabState s;
  if (!DecodeMlpLab(link, &s, error)) return false;
  const bool torch = language == ExportLanguage::kTorch;
  const size_t L = s.layers.size();
  const bool softmax_out = s.layers.back().activation == MlpActivation::kSoftmax;
  const bool backward = s.mode == MlpMode::kBackward;
  const auto n = [](size_t l) { return std::to_string(l + 1); };  // 1-based, as the lab shows

  std::string py = ScriptHeader("neuron & MLP lab: z_l = W_l a_(l-1) + b_l, a_l = g_l(z_l)",
                                EncodeMlpLab(s), torch);
  if (torch) {
    py += "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n";
    py += "torch.set_default_dtype(torch.float64)\n\n";
    py += "x = torch.tensor(" + PyList(s.x) +
          ", dtype=torch.float64, requires_grad=True)  # the input, a0\n";
  } else {
    py += "import numpy as np\n\n";
    py +=
        "def softmax(z):\n    e = np.exp(z - z.max())  # shifted by the max: no overflow\n"
        "    return e / e.sum()\n\n";
    py += "x = np.array(" + PyList(s.x) + ", dtype=float)  # the input, a0\n";
  }
  py += "target = " + std::to_string(s.target - 1) + "  # class " + std::to_string(s.target) +
        " in the lab (1-based); Python counts from 0\n\n";

  py +=
      "# The layers: W_l is [units, inputs], so W_l[i][j] is the weight from unit j of layer\n"
      "# l-1 into unit i of layer l.\n";
  for (size_t l = 0; l < L; ++l) {
    const MlpLayer& ly = s.layers[l];
    if (torch) {
      py += "layer" + n(l) + " = nn.Linear(" + std::to_string(ly.inputs()) + ", " +
            std::to_string(ly.units()) + ", bias=" + (ly.has_bias ? "True" : "False") + ")\n";
    } else {
      py += "W" + n(l) + " = np.array(" + PyList(ly.w) + ", dtype=float)\n";
      if (ly.has_bias) py += "b" + n(l) + " = np.array(" + PyList(ly.b) + ", dtype=float)\n";
    }
  }
  if (torch) {
    py += "with torch.no_grad():  # the lab's weights, not PyTorch's random initialisation\n";
    for (size_t l = 0; l < L; ++l) {
      const MlpLayer& ly = s.layers[l];
      py += "    layer" + n(l) + ".weight.copy_(torch.tensor(" + PyList(ly.w) + "))  # W" + n(l) +
            "\n";
      if (ly.has_bias)
        py += "    layer" + n(l) + ".bias.copy_(torch.tensor(" + PyList(ly.b) + "))  # b" + n(l) +
              "\n";
    }
  }

  py += "\n# ---- Forward pass\n";
  for (size_t l = 0; l < L; ++l) {
    const MlpLayer& ly = s.layers[l];
    const std::string prev = l == 0 ? "x" : "a" + n(l - 1);
    const std::string z = "z" + n(l), a = "a" + n(l);
    if (torch) {
      py += z + " = layer" + n(l) + "(" + prev + ")\n";
      py += a + " = " + TorchActivation(ly.activation, z) + "\n";
      py += z + ".retain_grad(), " + a + ".retain_grad()  # keep dL/dz and dL/da for the lab\n";
    } else {
      py += z + " = W" + n(l) + " @ " + prev + (ly.has_bias ? " + b" + n(l) : "") + "\n";
      py += a + " = " + NumpyActivation(ly.activation, z) + "\n";
    }
    py += "print('" + z + " =', " + z + ".tolist(), ' " + a + " =', " + a + ".tolist())\n";
  }
  const std::string zl = "z" + n(L - 1), al = "a" + n(L - 1);
  py += "\n# The loss: cross-entropy on the softmax of the last z, L = -log p[target]";
  py += softmax_out ? " (the\n# last layer is the softmax, so p = " + al + ").\n"
                    : ".\n# (The last layer is not a softmax: the lab takes the loss on softmax(" +
                          zl + "), not on " + al + ".)\n";
  if (torch) {
    py += "p = F.softmax(" + zl + ", dim=0)\n";
    if (softmax_out) {
      py += "loss = -torch.log(" + al + "[target])  # the same as F.cross_entropy(" + zl +
            ", target)\n";
    } else {
      py += "loss = F.cross_entropy(" + zl + ".unsqueeze(0), torch.tensor([target]))\n";
    }
  } else {
    py += "p = softmax(" + zl + ")\n";
    py += "loss = -np.log(p[target])\n";
  }
  py += "print('p =', p.tolist(), ' loss =', float(loss))\n";

  py += std::string("\n# ---- Backward pass") +
        (backward ? "" : " (the lab shows it in backward mode)") + ": dL/d(everything).\n";
  if (torch) {
    py += "loss.backward()  # autograd fills every .grad\n";
    for (size_t l = L; l-- > 0;) {
      py += "print('dL/dz" + n(l) + " =', z" + n(l) + ".grad.tolist(), ' dL/dW" + n(l) +
            " =', layer" + n(l) + ".weight.grad.tolist())\n";
    }
    py += "print('dL/dx =', x.grad.tolist())\n";
  } else {
    py += "y = np.eye(len(p))[target]  # one-hot target\n";
    py += "dz" + n(L - 1) + " = p - y  # softmax + cross-entropy: dL/dz = p - y\n";
    if (softmax_out)
      py += "da" + n(L - 1) + " = np.where(np.arange(len(p)) == target, -1 / " + al +
            ", 0.0)  # dL/da = -1/a[target]\n";
    for (size_t l = L; l-- > 0;) {
      const MlpLayer& ly = s.layers[l];
      const std::string prev = l == 0 ? "x" : "a" + n(l - 1);
      if (l + 1 < L)
        py += "dz" + n(l) + " = " +
              NumpyBackward(ly.activation, "z" + n(l), "a" + n(l), "da" + n(l)) + "\n";
      py += "dW" + n(l) + " = np.outer(dz" + n(l) + ", " + prev + ")  # dL/dW = dz a_prev^T\n";
      if (ly.has_bias) py += "db" + n(l) + " = dz" + n(l) + ".copy()\n";
      py += (l == 0 ? std::string("dx") : "da" + n(l - 1)) + " = W" + n(l) + ".T @ dz" + n(l) +
            "  # dL/d(input) = W^T dz\n";
      py += "print('dL/dz" + n(l) + " =', dz" + n(l) + ".tolist(), ' dL/dW" + n(l) + " =', dW" +
            n(l) + ".tolist())\n";
    }
    py += "print('dL/dx =', dx.tolist())\n";
  }

  py += "\n# ---- Parameters: every weight and bias\n";
  if (torch) {
    py += "layers = [";
    for (size_t l = 0; l < L; ++l) py += (l ? ", layer" : "layer") + n(l);
    py += "]\nparameters = sum(p.numel() for layer in layers for p in layer.parameters())\n";
  } else {
    py += "parameters = sum(W.size for W in [";
    for (size_t l = 0; l < L; ++l) py += (l ? ", W" : "W") + n(l);
    py += "])";
    bool any_bias = false;
    for (const MlpLayer& ly : s.layers) any_bias |= ly.has_bias;
    if (any_bias) {
      py += " + sum(b.size for b in [";
      bool first = true;
      for (size_t l = 0; l < L; ++l)
        if (s.layers[l].has_bias) py += (first ? "b" : ", b") + n(l), first = false;
      py += "])";
    }
    py += "\n";
  }
  py += "print('parameters:', parameters)\n";

  py += "\nresults = {'probs': p, 'loss': loss, 'parameters': parameters, ";
  py += torch ? "'dx': x.grad}\n" : "'dx': dx}\n";
  for (size_t l = 0; l < L; ++l) {
    const std::string k = "'layers/" + std::to_string(l) + "/";
    const MlpLayer& ly = s.layers[l];
    const bool has_da = l + 1 < L || softmax_out;
    py += "results.update({" + k + "z': z" + n(l) + ", " + k + "a': a" + n(l) + ", ";
    if (torch) {
      py += k + "dz': z" + n(l) + ".grad, " + k + "dw': layer" + n(l) + ".weight.grad";
      if (has_da) py += ", " + k + "da': a" + n(l) + ".grad";
      if (ly.has_bias) py += ", " + k + "db': layer" + n(l) + ".bias.grad";
      py += ", " + k + "weights': layer" + n(l) + ".weight.numel()";
      py += ", " + k + "biases': layer" + n(l) + ".bias.numel() if layer" + n(l) +
            ".bias is not None else 0";
    } else {
      py += k + "dz': dz" + n(l) + ", " + k + "dw': dW" + n(l);
      if (has_da) py += ", " + k + "da': da" + n(l);
      if (ly.has_bias) py += ", " + k + "db': db" + n(l);
      py += ", " + k + "weights': W" + n(l) + ".size";
      py += ", " + k + "biases': " + (ly.has_bias ? "b" + n(l) + ".size" : std::string("0"));
    }
    py += "})\n";
  }
  *script = std::move(py);
  return true;
}

}  // namespace nnplay
