// flow_export.cpp: the gradient-flow lab as a PyTorch or NumPy script (export.h).
// Both configurations (A and B) as chains of bias-free dense layers, plain or residual,
// the loss L = sum of the outputs, and every gradient: autograd in PyTorch, the chain rule
// in NumPy. The lab's random draws (its PCG32 generator) are written out as data, as whole
// numbers k with u = k / 2^24, so the weights are exactly the lab's.
#include <cstdint>
#include <string>

#include "labs/export.h"
#include "labs/export_text.h"
#include "labs/flow_lab.h"
#include "ops/rng.h"

namespace nnplay {
namespace {

std::string Draws(uint64_t seed, size_t count) {
  Pcg32 rng(seed);
  std::string s = "[";
  for (size_t i = 0; i < count; ++i) {
    if (i) s += i % 16 == 0 ? ",\n    " : ", ";
    s += std::to_string(rng.NextU32() >> 8);
  }
  return s + "]";
}

std::string TorchAct(FlowActivation a) {
  switch (a) {
    case FlowActivation::kSigmoid:
      return "torch.sigmoid";
    case FlowActivation::kTanh:
      return "torch.tanh";
    case FlowActivation::kRelu:
      return "F.relu";
    case FlowActivation::kLeakyRelu:
      return "lambda z: F.leaky_relu(z, 0.01)";
  }
  return "";
}

// NumPy: (g, g') as Python lambdas.
std::string NumpyAct(FlowActivation a) {
  switch (a) {
    case FlowActivation::kSigmoid:
      return "(lambda z: 1 / (1 + np.exp(-z)), lambda z: (1 / (1 + np.exp(-z))) * (1 - 1 / (1 + "
             "np.exp(-z))))";
    case FlowActivation::kTanh:
      return "(np.tanh, lambda z: 1 - np.tanh(z) ** 2)";
    case FlowActivation::kRelu:
      return "(lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0)";
    case FlowActivation::kLeakyRelu:
      return "(lambda z: np.where(z < 0, 0.01 * z, z), lambda z: np.where(z > 0, 1.0, 0.01))";
  }
  return "";
}

std::string Config(const FlowConfig& c, const char* name, bool torch) {
  const std::string n = std::to_string(c.width);
  std::string py =
      "\n# ---- Configuration " + std::string(name) + ": " + std::to_string(c.depth) + " " +
      FlowActivationName(c.act) + " layers of " + n + " units, " +
      (c.residual ? "residual (a_l = g(W_l a_(l-1)) + a_(l-1))" : "plain (a_l = g(W_l a_(l-1)))") +
      ", " + FlowInitName(c.init) + " initialisation\n";
  const size_t count = static_cast<size_t>(c.depth) * static_cast<size_t>(c.width * c.width);
  switch (c.init) {
    case FlowInit::kConstant:
      py += "W = " + std::string(torch ? "torch" : "np") + ".full((" + std::to_string(c.depth) +
            ", " + n + ", " + n + "), float(" + PyNum(c.w) + "))  # every weight = w\n";
      break;
    case FlowInit::kUniform:
    case FlowInit::kXavier:
    case FlowInit::kHe: {
      const std::string limit = c.init == FlowInit::kXavier
                                    ? "math.sqrt(6 / (" + n + " + " + n +
                                          "))  # Xavier (Glorot) uniform: sqrt(6/(fan_in+fan_out))"
                                : c.init == FlowInit::kHe
                                    ? "math.sqrt(6 / " + n + ")  # He uniform: sqrt(6/fan_in)"
                                    : PyNum(c.w) + "  # uniform: U(-w, w)";
      py += "limit = " + limit + "\n";
      py += "# The lab's random draws (PCG32, seed " + std::to_string(c.seed) +
            "), layer by layer, row-major W_l[out][in]: u = k / 2**24.\n";
      py += "k = " + Draws(static_cast<uint64_t>(c.seed), count) + "\n";
      py += std::string("u = ") +
            (torch ? "torch.tensor(k, dtype=torch.float64)" : "np.array(k, dtype=float)") +
            " / 2**24\n";
      py += "W = ((2 * u - 1) * limit).reshape(" + std::to_string(c.depth) + ", " + n + ", " + n +
            ")  # U(-limit, limit)\n";
      break;
    }
  }
  py += "x = inputs[:" + n + "]\n";
  if (torch) {
    py += std::string("run_") + name + " = chain(W, x, " + TorchAct(c.act) +
          ", residual=" + (c.residual ? "True" : "False") + ")\n";
  } else {
    py += std::string("run_") + name + " = chain(W, x, *" + NumpyAct(c.act) +
          ", residual=" + (c.residual ? "True" : "False") + ")\n";
  }
  py += std::string("show('") + name + "', run_" + name + ")\n";
  return py;
}

}  // namespace

bool ExportFlowLab(const Link& link, ExportLanguage language, std::string* script,
                   LinkError* error) {
  FlowLabState s;
  if (!DecodeFlowLab(link, &s, error)) return false;
  const bool torch = language == ExportLanguage::kTorch;
  const int widest = s.a.width > s.b.width ? s.a.width : s.b.width;

  std::string py = ScriptHeader("gradient-flow lab: how much gradient reaches each layer",
                                EncodeFlowLab(s), torch);
  py += torch ? "import math\nimport torch\nimport torch.nn.functional as F\n\n"
                "torch.set_default_dtype(torch.float64)\n\n"
              : "import math\nimport numpy as np\n\n"
                "np.seterr(over='ignore')  # exp(-z) of a large negative z: inf, sigmoid 0\n\n";
  py += "# The input a_0: the lab's draws x_i = k / 2**24 in [0, 1) (PCG32, seed " +
        std::to_string(s.xseed) + "), the same for A and B.\n";
  py += std::string("inputs = ") + (torch ? "torch.tensor(" : "np.array(") +
        Draws(static_cast<uint64_t>(s.xseed), static_cast<size_t>(widest)) +
        (torch ? ", dtype=torch.float64)" : ", dtype=float)") + " / 2**24\n\n";

  if (torch) {
    py += R"(def chain(W, x, g, residual):
    """Forward through the chain, L = sum of the outputs, then autograd for every gradient."""
    W = W.clone().requires_grad_()
    a = [x.clone().requires_grad_()]  # a_0
    z = []
    for l in range(len(W)):
        z.append(W[l] @ a[-1])  # z_l = W_l a_(l-1), no bias
        out = g(z[-1]) + (a[-1] if residual else 0)  # the skip adds the block's input
        out.retain_grad()  # keep dL/da_l
        a.append(out)
    loss = a[-1].sum()
    loss.backward()
    grad = torch.stack([t.grad for t in a])  # dL/da_l for l = 0..L
    return dict(W=W.detach(), x=x, z=torch.stack(z).detach(), a=torch.stack(a[1:]).detach(),
                grad=grad, loss=loss.detach(), grad_norm=grad.norm(dim=1),
                grad_w_norm=W.grad.flatten(1).norm(dim=1), g=g, residual=residual)
)";
  } else {
    py += R"(def chain(W, x, g, g_prime, residual):
    """Forward through the chain, L = sum of the outputs, then the chain rule backward."""
    a, z = [x], []
    for l in range(len(W)):
        z.append(W[l] @ a[-1])  # z_l = W_l a_(l-1), no bias
        a.append(g(z[-1]) + (a[-1] if residual else 0))  # the skip adds the block's input
    grad = [None] * len(a)
    grad[-1] = np.ones_like(x)  # dL/da_L = 1 (L is the sum of the outputs)
    grad_w_norm = np.zeros(len(W))
    for l in range(len(W), 0, -1):
        dz = g_prime(z[l - 1]) * grad[l]
        grad_w_norm[l - 1] = np.linalg.norm(np.outer(dz, a[l - 1]))  # |dL/dW_l|
        grad[l - 1] = W[l - 1].T @ dz + (grad[l] if residual else 0)  # the skip's "+1"
    grad = np.array(grad)
    return dict(W=W, x=x, z=np.array(z), a=np.array(a[1:]), grad=grad, loss=a[-1].sum(),
                grad_norm=np.linalg.norm(grad, axis=1), grad_w_norm=grad_w_norm, g=g,
                g_prime=g_prime, residual=residual)
)";
  }
  py += R"(

def show(name, r):
    norms = r['grad_norm']
    print(name + ': |dL/da_l| for l = 0..L:', [float('%.4g' % v) for v in norms])
    print('   reaching layer 1:', float(norms[1] / norms[-1]), 'of the top gradient')
)";
  py += Config(s.a, "a", torch);
  py += Config(s.b, "b", torch);

  // The backward step through one layer, for its first unit.
  py +=
      "\n# ---- The chosen layer's backward step: dL/da_(l-1) = W_l^T (g'(z_l) * dL/da_l) "
      "(+ dL/da_l)\n";
  if (torch) {
    py += R"(def block(r, layer):
    l = min(max(layer, 1), len(r['W']))
    z = r['z'][l - 1].clone().requires_grad_()
    gprime = torch.autograd.grad(r['g'](z).sum(), z)[0]  # g'(z_l), elementwise
    dy = r['grad'][l]
    fpath = r['W'][l - 1].T @ (gprime * dy)
    skip = dy if r['residual'] else torch.zeros_like(dy)
)";
  } else {
    py += R"(def block(r, layer):
    l = min(max(layer, 1), len(r['W']))
    gprime = r['g_prime'](r['z'][l - 1])
    dy = r['grad'][l]
    fpath = r['W'][l - 1].T @ (gprime * dy)
    skip = dy if r['residual'] else np.zeros_like(dy)
)";
  }
  py += R"(    norm = lambda v: float((v ** 2).sum() ** 0.5)
    return {'layer': l, 'residual': r['residual'], 'dy0': dy[0], 'gprime0': gprime[0],
            'w00': r['W'][l - 1][0][0],
            'dfdx': gprime[0] * r['W'][l - 1][0][0], 'fpath0': fpath[0], 'skip0': skip[0],
            'dx0': r['grad'][l - 1][0], 'dy_norm': norm(dy), 'fpath_norm': norm(fpath),
            'dx_norm': norm(r['grad'][l - 1])}

)";
  py += "block_layer = " + std::to_string(s.block) + "\n";
  py +=
      "for name, r in (('A', run_a), ('B', run_b)):\n"
      "    b = block(r, block_layer)\n"
      "    print(name, 'layer', b['layer'], ': dL/dx[1] =', float(b['fpath0']), '(F path) +', "
      "float(b['skip0']), '(skip) =', float(b['dx0']))\n\n";

  // The activation curve panel.
  py += std::string(
            "# ---- The activation curve: g and g' over [-8, 8], where g' saturates "
            "(below 10% of its peak)\n") +
        "xs = [-8 + 0.1 * i for i in range(161)]\nxs[80] = 0.0\n";
  const FlowActivation ca = s.curve;
  if (torch) {
    py += "cx = torch.tensor(xs, requires_grad=True)\n";
    py += "g = " + TorchAct(ca) + "\n";
    py += "cy = g(cx)\ncdy = torch.autograd.grad(cy.sum(), cx)[0]  # g'(x) by autograd\n";
    py += "cy = cy.detach()\ncdy = cdy.tolist()\n";
  } else {
    py += "g, g_prime = " + NumpyAct(ca) + "\n";
    py += "cx = np.array(xs)\ncy = g(cx)\ncdy = g_prime(cx).tolist()\n";
  }
  py += R"(peak = max(range(161), key=lambda i: (cdy[i], -i))  # the first largest
saturated, i = [], 0
while i < 161:
    if cdy[i] >= 0.1 * cdy[peak]:
        i += 1
        continue
    j = i
    while j + 1 < 161 and cdy[j + 1] < 0.1 * cdy[peak]:
        j += 1
    saturated.append([xs[i], xs[j]])
    i = j + 1
print("g'(0) =", cdy[80], " peak g' =", cdy[peak], "at x =", xs[peak], " saturated:", saturated)

results = {'curve/x': xs, 'curve/y': cy, 'curve/dy': cdy, 'curve/peak_x': xs[peak],
           'curve/peak_dy': cdy[peak], 'curve/dy_at_0': cdy[80], 'curve/saturated': saturated}
for name, r in (('a', run_a), ('b', run_b)):
    b = block(r, block_layer)
    results.update({name + '/input': r['x'], name + '/weights': r['W'], name + '/z': r['z'],
                    name + '/a': r['a'], name + '/grad': r['grad'], name + '/loss': r['loss'],
                    name + '/grad_norm': r['grad_norm'],
                    name + '/log10_grad_norm': [math.log10(v) if v > 0 else None
                                                for v in r['grad_norm'].tolist()],
                    name + '/grad_w_norm': r['grad_w_norm'],
                    name + '/ratio_first_last': r['grad_norm'][1] / r['grad_norm'][-1]})
    results.update({name + '/block/' + key: value for key, value in b.items()})
)";
  *script = std::move(py);
  return true;
}

}  // namespace nnplay
