// train_export.cpp: the training lab as a PyTorch or NumPy script (labs/export.h).
//
// The script writes out the points the lab trains and tests on, builds the same network,
// sets nnplay's initial weights explicitly (PyTorch's own initialisation differs), draws the
// same batches (the lab's PCG32 shuffle, ten lines of Python), trains the link's steps with
// the lab's optimizer and regularization, and prints what the lab shows: losses, accuracies,
// the confusion matrix and the gradient norms. For the referee it leaves `results`: the
// initial weights, and for the first min(steps, kTraceSteps) steps the batch, its loss and
// the weights after the step (JSON paths result/trace/<i>/...); when the whole run is that
// short, also the final figures (longer runs in float32 and float64 drift apart).
#include <string>
#include <vector>

#include "labs/export.h"
#include "labs/export_text.h"
#include "labs/train_lab.h"
#include "link/number.h"

namespace nnplay {
namespace {

const char* ActLabel(TrainActivation a) {
  switch (a) {
    case TrainActivation::kTanh:
      return "tanh";
    case TrainActivation::kReLU:
      return "ReLU";
    case TrainActivation::kSigmoid:
      return "sigmoid";
    case TrainActivation::kLinear:
      return "linear";
  }
  return "tanh";
}

const char* const kFeatureExpr[kTrainFeatureCount] = {"x",     "y",      "x * x", "y * y",
                                                      "x * y", "SIN(x)", "SIN(y)"};

// Everything the script needs, decoded and evaluated once.
struct Setup {
  TrainLabState s;
  TrainLabResult r;
  std::vector<float> seed_params;  // the seed's initialisation, before any weight typed in
  bool regression = false, squared = false;
  int classes = 2, outputs = 2, width = 2;
};

// One layer's W [out][in] and b [out] as Python lists.
std::string LayerLiteral(const TrainLayerShape& l, const std::vector<float>& p,
                         const std::string& indent) {
  std::string out = indent + "(\n" + indent + "    [\n";
  for (int o = 0; o < l.out; ++o) {
    out += indent + "        [";
    for (int i = 0; i < l.in; ++i)
      out += (i ? ", " : "") + PyFloat(p[static_cast<size_t>(l.w + o * l.in + i)]);
    out += "],\n";
  }
  out += indent + "    ],\n" + indent + "    [";
  for (int o = 0; o < l.out; ++o) out += (o ? ", " : "") + PyFloat(p[static_cast<size_t>(l.b + o)]);
  return out + "],\n" + indent + ")";
}

std::string Header(const Setup& u, ExportLanguage lang) {
  const TrainLabState& s = u.s;
  const bool torch = lang == ExportLanguage::kTorch;
  std::string out;
  out += std::string("# nnplay's training lab as ") + (torch ? "PyTorch" : "NumPy") +
         ": paste it into a notebook and run it.\n";
  out += "# The link: " + EncodeTrainLab(s) + "\n";
  out +=
      "# It rebuilds the lab's points, network, initial weights and batches, trains the same\n"
      "# steps and prints what the lab shows. nnplay computes in float32 (tanh by a rational\n"
      "# approximation, within 4.2e-7), this script in float64: the numbers agree to about six\n"
      "# digits for the first steps, and may drift apart over many.\n";
  out +=
      torch ? "import torch\n\ntorch.set_default_dtype(torch.float64)\n" : "import numpy as np\n";
  out += "\nSTEPS = " + std::to_string(s.steps) + "  # training steps the link holds\n";
  out += "BATCH = " + std::to_string(s.batch) + "  # points per step\n";
  out += "TRACE = " + std::to_string(TrainLabLimits::kTraceSteps) +
         "  # steps whose weights `nnplay eval` lists (results, below)\n";
  return out;
}

std::string Data(const Setup& u, ExportLanguage lang) {
  const TrainLabState& s = u.s;
  const bool torch = lang == ExportLanguage::kTorch;
  std::string out;
  out += "\n# ---- The data: " + std::string(TrainDataName(s.data)) + " from seed " +
         std::to_string(s.seed) + ", noise " + FormatFloat(s.noise) + ", " +
         std::to_string(s.split) + "% of the 400 points for training";
  if (!s.added.empty() || !s.removed.empty())
    out += ", " + std::to_string(s.added.size()) + " added by hand and " +
           std::to_string(s.removed.size()) + " removed";
  out += ".\n";
  out += u.regression
             ? "# Each point: x, y and the target value in [-1, 1].\n"
             : "# Each point: x, y and its class (0.." + std::to_string(u.classes - 1) + ").\n";
  auto points = [&](const char* name, const std::vector<TrainPoint>& pts) {
    out += std::string(name) + " = [\n";
    for (const TrainPoint& p : pts)
      out += "    (" + PyFloat(p.x) + ", " + PyFloat(p.y) + ", " +
             (u.regression ? PyFloat(p.value) : std::to_string(p.label)) + "),\n";
    out += "]\n";
  };
  points("TRAIN", u.r.train_points);
  points("TEST", u.r.test_points);

  std::string names;
  for (int i = 0; i < kTrainFeatureCount; ++i)
    if (s.features & (1u << i)) names += (names.empty() ? "" : ", ") + std::string(kFeatureExpr[i]);
  std::string sin = torch ? "torch.sin" : "np.sin";
  for (size_t at; (at = names.find("SIN")) != std::string::npos;) names.replace(at, 3, sin);
  out +=
      "\n\ndef features(points):\n    \"\"\"The input features the lab feeds the network, one row "
      "per point.\"\"\"\n";
  if (torch) {
    out +=
        "    p = torch.tensor([(x, y) for x, y, _ in points], dtype=torch.float64).reshape(-1, "
        "2)\n";
    out += "    x, y = p[:, 0], p[:, 1]\n";
    out += "    return torch.stack([" + names + "], dim=1)\n";
  } else {
    out += "    p = np.array([(x, y) for x, y, _ in points], dtype=np.float64).reshape(-1, 2)\n";
    out += "    x, y = p[:, 0], p[:, 1]\n";
    out += "    return np.stack([" + names + "], axis=1)\n";
  }
  out += "\n\ndef targets(points):\n";
  const std::string arr = torch ? "torch.tensor" : "np.array";
  if (!u.squared) {
    out += "    \"\"\"The class of each point (softmax cross-entropy takes class indices).\"\"\"\n";
    out += "    return " + arr + "([c for _, _, c in points]" +
           (torch ? ", dtype=torch.long)\n" : ", dtype=np.int64)\n");
  } else if (u.regression) {
    out += "    \"\"\"The target value of each point, one output.\"\"\"\n";
    out += "    return " + arr + "([[v] for _, _, v in points]" +
           (torch ? ").reshape(-1, 1)\n" : ", dtype=np.float64).reshape(-1, 1)\n");
  } else if (u.outputs == 1) {
    out += "    \"\"\"TensorFlow Playground's targets: +1 for class 1, -1 for class 0.\"\"\"\n";
    out += "    return " + arr + "([[1.0 if c == 1 else -1.0] for _, _, c in points]" +
           (torch ? ").reshape(-1, 1)\n" : ", dtype=np.float64).reshape(-1, 1)\n");
  } else {
    out += "    \"\"\"One output per class: +1 for the point's class, -1 for the others.\"\"\"\n";
    out += "    return " + arr + "([[1.0 if k == c else -1.0 for k in range(" +
           std::to_string(u.outputs) + ")] for _, _, c in points]" +
           (torch ? ").reshape(-1, " : ", dtype=np.float64).reshape(-1, ") +
           std::to_string(u.outputs) + ")\n";
  }
  out += "\n\nx_train, t_train = features(TRAIN), targets(TRAIN)\n";
  if (u.r.train_points.empty()) out += "STEPS = 0  # no training points: the lab makes no step\n";
  out += "x_test, t_test = features(TEST), targets(TEST)\n";
  return out;
}

std::string Weights(const Setup& u) {
  const TrainLabState& s = u.s;
  std::string out;
  out +=
      "\n# ---- nnplay's initial weights, set explicitly (PyTorch initialises layers its own "
      "way).\n";
  out += s.init == TrainInit::kGlorot
             ? "# Glorot-uniform from seed " + std::to_string(s.seed) + ", biases 0.\n"
             : "# TensorFlow Playground's: uniform in [-0.5, 0.5] from seed " +
                   std::to_string(s.seed) + ", biases 0.1.\n";
  out += "# Per layer (the hidden layers, then the output layer): W [out, in], b [out].\n";
  out += "INITIAL_WEIGHTS = [\n";
  for (size_t l = 0; l < u.r.layers.size(); ++l)
    out += LayerLiteral(u.r.layers[l], u.seed_params, "    ") + ",\n";
  out += "]\n";
  if (!s.edits.empty()) {
    out +=
        "\n# Weights typed in: before step `step + 1` (after `step` steps), layer `layer`'s\n"
        "# W[row, column] (column None: the bias b[row]) becomes `value`.\n";
    out += "EDITS = [  # (step, layer, row, column, value)\n";
    for (const TrainEdit& e : s.edits) {
      for (size_t l = 0; l < u.r.layers.size(); ++l) {
        const TrainLayerShape& ls = u.r.layers[l];
        if (e.index < ls.w || e.index >= ls.b + ls.out) continue;
        const bool bias = e.index >= ls.b;
        const int k = bias ? e.index - ls.b : e.index - ls.w;
        out += "    (" + std::to_string(e.step) + ", " + std::to_string(l) + ", " +
               std::to_string(bias ? k : k / ls.in) + ", " +
               (bias ? std::string("None") : std::to_string(k % ls.in)) + ", " + PyFloat(e.value) +
               "),\n";
      }
    }
    out += "]\n";
  }
  return out;
}

std::string Batches() {
  return R"(
# ---- The batches: the lab's own. Every epoch it shuffles the training points (Fisher-Yates
# from the end, j = u32 % (i + 1)) with PCG32, then takes BATCH points at a time.
class Pcg32:
    """PCG32 XSH-RR (O'Neill 2014), seeded as the reference pcg32_srandom_r."""

    def __init__(self, seed, stream):
        self.inc = (stream << 1) | 1
        self.state = 0
        self.next_u32()
        self.state = (self.state + seed) % 2**64
        self.next_u32()

    def next_u32(self):
        old = self.state
        self.state = (old * 6364136223846793005 + self.inc) % 2**64
        xorshifted = (((old >> 18) ^ old) >> 27) % 2**32
        rot = old >> 59
        return ((xorshifted >> rot) | (xorshifted << ((32 - rot) & 31))) % 2**32


shuffle = Pcg32(SEED, 2002)
order = list(range(len(TRAIN)))
cursor = len(order)  # the first step shuffles


def next_batch():
    global cursor
    batch = []
    for _ in range(BATCH):
        if cursor == len(order):
            for i in range(len(order) - 1, 0, -1):
                j = shuffle.next_u32() % (i + 1)
                order[i], order[j] = order[j], order[i]
            cursor = 0
        batch.append(order[cursor])
        cursor += 1
    return batch
)";
}

// ---- PyTorch ---------------------------------------------------------------------------

std::string TorchModel(const Setup& u) {
  const TrainLabState& s = u.s;
  std::string out = "\n# ---- The network: ";
  int in = u.width;
  std::string layers;
  for (size_t l = 0; l < s.layers.size(); ++l) {
    const TrainActivation a = TrainLayerActivation(s, static_cast<int>(l));
    layers += "    torch.nn.Linear(" + std::to_string(in) + ", " + std::to_string(s.layers[l]) +
              "),  # hidden layer " + std::to_string(l + 1) + ": " + std::to_string(s.layers[l]) +
              " units\n";
    switch (a) {
      case TrainActivation::kTanh:
        layers += "    torch.nn.Tanh(),\n";
        break;
      case TrainActivation::kReLU:
        layers += "    torch.nn.ReLU(),\n";
        break;
      case TrainActivation::kSigmoid:
        layers += "    torch.nn.Sigmoid(),\n";
        break;
      case TrainActivation::kLinear:
        layers += "    torch.nn.Identity(),  # linear: no activation\n";
        break;
    }
    in = s.layers[l];
  }
  out += std::to_string(u.width) + " features";
  for (size_t l = 0; l < s.layers.size(); ++l)
    out += " -> " + std::to_string(s.layers[l]) + " " +
           ActLabel(TrainLayerActivation(s, static_cast<int>(l)));
  out += " -> " + std::to_string(u.outputs) + " output" + (u.outputs > 1 ? "s" : "") + ".\n";
  out += "model = torch.nn.Sequential(\n" + layers;
  out += "    torch.nn.Linear(" + std::to_string(in) + ", " + std::to_string(u.outputs) + "),  # ";
  if (!u.squared) {
    out += "the output layer: one logit per class\n";
  } else if (u.regression) {
    out += "the output layer: the value (linear)\n";
  } else {
    out += "the output layer\n    torch.nn.Tanh(),  # TensorFlow Playground's tanh output\n";
  }
  out += ")\nlayers = [m for m in model if isinstance(m, torch.nn.Linear)]\n";
  out +=
      "with torch.no_grad():\n"
      "    for layer, (W, b) in zip(layers, INITIAL_WEIGHTS):\n"
      "        layer.weight.copy_(torch.tensor(W))\n"
      "        layer.bias.copy_(torch.tensor(b))\n";
  if (!s.edits.empty())
    out += R"(

def apply_edits(step):
    with torch.no_grad():
        for at, layer, row, column, value in EDITS:
            if at != step:
                continue
            if column is None:
                layers[layer].bias[row] = value
            else:
                layers[layer].weight[row, column] = value


apply_edits(0)
)";
  out += "\n# ---- The loss";
  if (!u.squared) {
    out +=
        ": softmax cross-entropy over the logits, the mean over the batch.\n"
        "loss_fn = torch.nn.CrossEntropyLoss()\n";
  } else {
    out +=
        ": half the squared error, summed over the outputs, the mean over the batch.\n"
        "def loss_fn(y, t):\n"
        "    return 0.5 * ((y - t) ** 2).sum(dim=1).mean()\n";
  }
  return out;
}

std::string TorchOptimizer(const Setup& u) {
  const TrainLabState& s = u.s;
  const bool reg = s.reg != TrainReg::kNone && s.rate != 0.0f;
  const bool plain_sgd = s.opt == TrainOptimizer::kSgd && s.momentum == 0.0f;
  std::string out = "\n# ---- The optimizer";
  out +=
      "\nweights = [layer.weight for layer in layers]  # the regularization's (not the biases)\n"
      "biases = [layer.bias for layer in layers]\n";
  const std::string rate = PyFloat(s.rate);
  std::string params = "model.parameters()";
  if (reg && s.reg == TrainReg::kL2) {
    out += "# L2 " + rate +
           " on the weights only: rate * w joins each weight's gradient, which is\n"
           "# PyTorch's weight_decay (on a parameter group without the biases).\n";
    params = "[{\"params\": weights, \"weight_decay\": " + rate + "}, {\"params\": biases}]";
  }
  if (s.opt == TrainOptimizer::kAdam) {
    out += "optimizer = torch.optim.Adam(" + params + ", lr=" + PyFloat(s.lr) +
           ", betas=(0.9, 0.999), eps=1e-8)\n";
  } else if (plain_sgd) {
    out += "optimizer = torch.optim.SGD(" + params + ", lr=" + PyFloat(s.lr) + ")\n";
  } else {
    out += "# PyTorch's momentum is the lab's: v <- momentum * v + g; w <- w - lr * v.\n";
    out += "optimizer = torch.optim.SGD(" + params + ", lr=" + PyFloat(s.lr) +
           ", momentum=" + PyFloat(s.momentum) + ")\n";
  }
  if (reg && s.reg == TrainReg::kL1) {
    if (plain_sgd) {
      out += "# L1 " + rate +
             " on the weights, as TensorFlow Playground: after the gradient step,\n"
             "# w <- w - lr * rate * sign(w before the step), and a weight that would cross\n"
             "# zero becomes 0 (PyTorch has no such option: it is written out in the loop).\n";
    } else {
      out += "# L1 " + rate +
             " on the weights: rate * sign(w) joins each weight's gradient (written\n"
             "# out in the loop: PyTorch's weight_decay is L2).\n";
    }
  }
  out += "RATE = " + rate + "\nLR = " + PyFloat(s.lr) + "\n";
  return out;
}

// What both languages print at the end, and what the referee compares: the final losses,
// accuracy and test confusion, the last step's gradient norms.
std::string Report(const Setup& u) {
  std::string out;
  out +=
      "print(f\"after {STEPS} steps: train loss {train_loss:.6g}, test loss {test_loss:.6g}\")\n";
  if (!u.regression) {
    out += "print(f\"accuracy: train {train_acc:.4g}, test {test_acc:.4g}\")\n";
    out += "CLASSES = " + std::to_string(u.classes) + "\n";
    out +=
        "confusion = [[0] * CLASSES for _ in range(CLASSES)]  # row: true class, column: "
        "predicted\n";
    out +=
        "for (_, _, c), p in zip(TEST, [int(p) for p in test_predicted]):\n"
        "    confusion[c][p] += 1\n"
        "print(\"test confusion (rows: true class, columns: predicted):\")\n"
        "for row in confusion:\n"
        "    print(\"   \", row)\n";
  }
  std::string names;
  for (size_t l = 0; l < u.r.layers.size(); ++l)
    names += std::string(l ? ", " : "") + "\"" +
             (l + 1 == u.r.layers.size() ? std::string("Wout") : "W" + std::to_string(l + 1)) +
             "\"";
  out +=
      "print(\"gradient norms of the last step:\", \", \".join(f\"{n} {g:.4g}\" for n, g in zip([" +
      names + "], grad_norms)))\n";
  // The run's end is compared when it is short: float32 and float64 drift apart over steps
  // (measured: 3.6e-4 in a train loss after 10 steps of a linear regression). Accuracy and
  // the confusion matrix are printed, not compared: an argmax flips where logits tie in
  // float32 (a saturated sigmoid's exact 0, say) and not in float64.
  out += "if STEPS <= 5:  # a short run: float32 and float64 still agree on the final figures\n";
  out +=
      "    results[\"result/train_loss\"] = train_loss\n"
      "    results[\"result/test_loss\"] = test_loss\n"
      "    results[\"result/last_batch_loss\"] = last_loss\n";
  out +=
      "    record(\"result/weights\")\n"
      "    for l, g in enumerate(grad_norms):\n"
      "        results[f\"result/grad_norms/{l}/norm\"] = g if STEPS else 0.0\n";
  return out;
}

std::string TorchLoop(const Setup& u) {
  const TrainLabState& s = u.s;
  const bool l1 = s.reg == TrainReg::kL1 && s.rate != 0.0f;
  const bool plain_sgd = s.opt == TrainOptimizer::kSgd && s.momentum == 0.0f;
  std::string out = R"(

def as_list(t):
    return t.detach().tolist()


def record(prefix):
    for l, layer in enumerate(layers):
        results[f"{prefix}/{l}/W"] = as_list(layer.weight.flatten())  # the JSON's W: flat
        results[f"{prefix}/{l}/b"] = as_list(layer.bias)


# ---- Training: the lab's loop.
results = {}
record("result/initial_weights")
grad_norms = [0.0] * len(layers)
last_loss = 0.0
for step in range(1, STEPS + 1):
    batch = next_batch()
    optimizer.zero_grad()
    loss = loss_fn(model(x_train[batch]), t_train[batch])
    loss.backward()
    # The lab's gradient norms: each layer's weight gradient (before any penalty).
    grad_norms = [layer.weight.grad.norm().item() for layer in layers]
)";
  if (l1 && plain_sgd) {
    out +=
        "    before = [w.detach().clone() for w in weights]\n"
        "    optimizer.step()\n"
        "    with torch.no_grad():  # L1, TensorFlow Playground's way\n"
        "        for w, w0 in zip(weights, before):\n"
        "            stepped = w - LR * RATE * torch.sign(w0)\n"
        "            w.copy_(torch.where(w * stepped < 0, torch.zeros_like(w), stepped))\n";
  } else if (l1) {
    out +=
        "    with torch.no_grad():  # L1: rate * sign(w) joins the gradient\n"
        "        for w in weights:\n"
        "            w.grad += RATE * torch.sign(w)\n"
        "    optimizer.step()\n";
  } else {
    out += "    optimizer.step()\n";
  }
  if (!s.edits.empty()) out += "    apply_edits(step)\n";
  out += R"(    last_loss = loss.item()
    if step <= TRACE:
        results[f"result/trace/{step - 1}/batch"] = batch
        results[f"result/trace/{step - 1}/loss"] = last_loss
        record(f"result/trace/{step - 1}/weights")

# ---- What the lab shows: losses, accuracies, the test set's confusion matrix.
with torch.no_grad():
)";
  if (!u.squared) {
    out += R"(    def measure(x, t):
        if len(x) == 0:
            return 0.0, 0.0, []
        logits = model(x)
        predicted = logits.argmax(dim=1)
        return loss_fn(logits, t).item(), (predicted == t).double().mean().item(), predicted

)";
  } else if (u.regression) {
    out += R"(    def measure(x, t):
        if len(x) == 0:
            return 0.0, 0.0, []
        return loss_fn(model(x), t).item(), 0.0, None

)";
  } else if (u.outputs == 1) {
    out += R"(    def measure(x, t):
        if len(x) == 0:
            return 0.0, 0.0, []
        y = model(x)
        predicted = (y[:, 0] > 0).long()  # the sign of the tanh output
        truth = (t[:, 0] > 0).long()
        return loss_fn(y, t).item(), (predicted == truth).double().mean().item(), predicted

)";
  } else {
    out += R"(    def measure(x, t):
        if len(x) == 0:
            return 0.0, 0.0, []
        y = model(x)
        predicted = y.argmax(dim=1)
        truth = t.argmax(dim=1)
        return loss_fn(y, t).item(), (predicted == truth).double().mean().item(), predicted

)";
  }
  out += R"(    train_loss, train_acc, _ = measure(x_train, t_train)
    test_loss, test_acc, test_predicted = measure(x_test, t_test)
)";
  out += Report(u);
  return out;
}

// ---- NumPy -------------------------------------------------------------------------------

std::string NumpyModel(const Setup& u) {
  const TrainLabState& s = u.s;
  std::string out = "\n# ---- The network: ";
  out += std::to_string(u.width) + " features";
  for (size_t l = 0; l < s.layers.size(); ++l)
    out += " -> " + std::to_string(s.layers[l]) + " " +
           ActLabel(TrainLayerActivation(s, static_cast<int>(l)));
  out += " -> " + std::to_string(u.outputs) + " output" + (u.outputs > 1 ? "s" : "") + ".\n";
  out += "# Each activation with its derivative written from its output y.\n";
  out += R"(ACTIVATIONS = {
    "tanh": (np.tanh, lambda y: 1 - y * y),
    "relu": (lambda z: np.maximum(z, 0), lambda y: (y > 0).astype(np.float64)),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda y: y * (1 - y)),
    "linear": (lambda z: z, lambda y: np.ones_like(y)),
}
)";
  out += "HIDDEN = [";
  for (size_t l = 0; l < s.layers.size(); ++l) {
    static const char* const kNames[] = {"tanh", "relu", "sigmoid", "linear"};
    out += std::string(l ? ", " : "") + "\"" +
           kNames[static_cast<int>(TrainLayerActivation(s, static_cast<int>(l)))] + "\"";
  }
  out += "]  # the hidden layers' activations\n";
  out += u.squared && !u.regression ? "OUTPUT = \"tanh\"  # TensorFlow Playground's tanh output\n"
         : u.squared                ? "OUTPUT = \"linear\"  # the value\n"
                                    : "OUTPUT = None  # logits, then softmax cross-entropy\n";
  out +=
      "Ws = [np.array(W, dtype=np.float64) for W, _ in INITIAL_WEIGHTS]  # W [out, in]\n"
      "bs = [np.array(b, dtype=np.float64) for _, b in INITIAL_WEIGHTS]  # b [out]\n";
  if (!s.edits.empty())
    out += R"(

def apply_edits(step):
    for at, layer, row, column, value in EDITS:
        if at != step:
            continue
        if column is None:
            bs[layer][row] = value
        else:
            Ws[layer][row, column] = value


apply_edits(0)
)";
  out += R"(

def forward(x):
    """Every layer's output, the input first."""
    outs = [x]
    for l, (W, b) in enumerate(zip(Ws, bs)):
        z = outs[-1] @ W.T + b
        act = HIDDEN[l] if l < len(HIDDEN) else OUTPUT
        outs.append(z if act is None else ACTIVATIONS[act][0](z))
    return outs

)";
  if (!u.squared) {
    out += R"(
def loss_and_delta(y, t):
    """Softmax cross-entropy, the mean over the batch, and its gradient w.r.t. the logits."""
    z = y - y.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    n = len(t)
    loss = -np.log(p[np.arange(n), t]).mean()
    p[np.arange(n), t] -= 1
    return loss, p / n
)";
  } else {
    out += R"(
def loss_and_delta(y, t):
    """Half the squared error, summed over the outputs, the mean over the batch; and its
    gradient w.r.t. the output layer's pre-activation."""
    loss = 0.5 * ((y - t) ** 2).sum(axis=1).mean()
    return loss, (y - t) / len(t) * ACTIVATIONS[OUTPUT][1](y)
)";
  }
  out += R"(

def gradients(x, t):
    """Backpropagation: the loss and every dW, db."""
    outs = forward(x)
    loss, delta = loss_and_delta(outs[-1], t)
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        dWs[l] = delta.T @ outs[l]
        dbs[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ Ws[l]) * ACTIVATIONS[HIDDEN[l - 1]][1](outs[l])
    return loss, dWs, dbs
)";
  return out;
}

std::string NumpyOptimizer(const Setup& u) {
  const TrainLabState& s = u.s;
  std::string out = "\n# ---- The optimizer\n";
  out += "LR = " + PyFloat(s.lr) + "\n";
  const bool reg = s.reg != TrainReg::kNone && s.rate != 0.0f;
  out += "RATE = " + PyFloat(reg ? s.rate : 0.0f) + "  # the regularization rate\n";
  if (s.opt == TrainOptimizer::kAdam) {
    out +=
        "# Adam (Kingma & Ba): beta1 0.9, beta2 0.999, eps 1e-8.\n"
        "BETA1, BETA2, EPS = 0.9, 0.999, 1e-8\n"
        "m = [np.zeros_like(p) for p in Ws + bs]\n"
        "v = [np.zeros_like(p) for p in Ws + bs]\n";
  } else if (s.momentum != 0.0f) {
    out +=
        "# SGD with momentum: v <- momentum * v + g; p <- p - lr * v.\n"
        "MOMENTUM = " +
        PyFloat(s.momentum) +
        "\n"
        "velocity = [np.zeros_like(p) for p in Ws + bs]\n";
  } else {
    out += "# Plain SGD: p <- p - lr * g.\n";
  }
  out += "t = 0\n";
  out += R"(

def update(dWs, dbs):
    global t
    t += 1
    params, grads = Ws + bs, dWs + dbs
    nw = len(Ws)
)";
  const bool plain = s.opt == TrainOptimizer::kSgd && s.momentum == 0.0f;
  if (plain && reg) {
    out += s.reg == TrainReg::kL2
               ? "    # L2 on the weights, TensorFlow Playground's order: the gradient step, then\n"
                 "    # w <- w - lr * rate * w (w before the step).\n"
               : "    # L1 on the weights, TensorFlow Playground's way: the gradient step, then\n"
                 "    # w <- w - lr * rate * sign(w before the step); a weight that would cross\n"
                 "    # zero becomes 0.\n";
    out +=
        "    for i, (p, g) in enumerate(zip(params, grads)):\n"
        "        before = p.copy()\n"
        "        p -= LR * g\n"
        "        if i < nw:\n";
    out += s.reg == TrainReg::kL2
               ? "            p -= LR * RATE * before\n"
               : "            stepped = p - LR * RATE * np.sign(before)\n"
                 "            p[...] = np.where(p * stepped < 0, 0.0, stepped)\n";
    return out;
  }
  out += "    for i, (p, g) in enumerate(zip(params, grads)):\n";
  if (reg)
    out += s.reg == TrainReg::kL2
               ? "        if i < nw:  # L2 on the weights: rate * w joins the gradient\n"
                 "            g = g + RATE * p\n"
               : "        if i < nw:  # L1 on the weights: rate * sign(w) joins the gradient\n"
                 "            g = g + RATE * np.sign(p)\n";
  if (s.opt == TrainOptimizer::kAdam) {
    out +=
        "        m[i] = BETA1 * m[i] + (1 - BETA1) * g\n"
        "        v[i] = BETA2 * v[i] + (1 - BETA2) * g * g\n"
        "        m_hat = m[i] / (1 - BETA1**t)\n"
        "        v_hat = v[i] / (1 - BETA2**t)\n"
        "        p -= LR * m_hat / (np.sqrt(v_hat) + EPS)\n";
  } else if (!plain) {
    out +=
        "        velocity[i] = MOMENTUM * velocity[i] + g\n"
        "        p -= LR * velocity[i]\n";
  } else {
    out += "        p -= LR * g\n";
  }
  return out;
}

std::string NumpyLoop(const Setup& u) {
  const TrainLabState& s = u.s;
  std::string out = R"(

def record(prefix):
    for l in range(len(Ws)):
        results[f"{prefix}/{l}/W"] = Ws[l].flatten().tolist()  # the JSON's W: flat
        results[f"{prefix}/{l}/b"] = bs[l].tolist()


# ---- Training: the lab's loop.
results = {}
record("result/initial_weights")
grad_norms = [0.0] * len(Ws)
last_loss = 0.0
for step in range(1, STEPS + 1):
    batch = next_batch()
    loss, dWs, dbs = gradients(x_train[batch], t_train[batch])
    # The lab's gradient norms: each layer's weight gradient (before any penalty).
    grad_norms = [float(np.sqrt((dW * dW).sum())) for dW in dWs]
    update(dWs, dbs)
)";
  if (!s.edits.empty()) out += "    apply_edits(step)\n";
  out += R"(    last_loss = float(loss)
    if step <= TRACE:
        results[f"result/trace/{step - 1}/batch"] = batch
        results[f"result/trace/{step - 1}/loss"] = last_loss
        record(f"result/trace/{step - 1}/weights")

)";
  out += "\n# ---- What the lab shows: losses, accuracies, the test set's confusion matrix.\n";
  out +=
      "def measure(x, t):\n"
      "    if len(x) == 0:\n"
      "        return 0.0, 0.0, np.zeros(0, dtype=np.int64)\n"
      "    y = forward(x)[-1]\n"
      "    loss = float(loss_and_delta(y, t)[0])\n";
  if (!u.squared) {
    out +=
        "    predicted = y.argmax(axis=1)\n"
        "    return loss, float((predicted == t).mean()), predicted\n";
  } else if (u.regression) {
    out += "    return loss, 0.0, None\n";
  } else if (u.outputs == 1) {
    out +=
        "    predicted = (y[:, 0] > 0).astype(np.int64)  # the sign of the tanh output\n"
        "    return loss, float((predicted == (t[:, 0] > 0)).mean()), predicted\n";
  } else {
    out +=
        "    predicted = y.argmax(axis=1)\n"
        "    return loss, float((predicted == t.argmax(axis=1)).mean()), predicted\n";
  }
  out += R"(

train_loss, train_acc, _ = measure(x_train, t_train)
test_loss, test_acc, test_predicted = measure(x_test, t_test)
)";
  out += Report(u);
  return out;
}

}  // namespace

bool ExportTrainLab(const Link& link, ExportLanguage language, std::string* script,
                    LinkError* error) {
  Setup u;
  if (!DecodeTrainLab(link, &u.s, error)) return false;
  u.r = EvaluateTrainLab(u.s);
  if (!u.r.error.empty()) {
    *error = {"layers", "the network cannot be built: " + u.r.error};
    return false;
  }
  TrainLabState fresh = u.s;  // the seed's initial weights, before any typed in
  fresh.edits.clear();
  fresh.steps = 0;
  TrainSession session;
  session.Reset(fresh);
  u.seed_params.assign(session.params(), session.params() + session.param_count());
  u.regression = u.r.regression;
  u.classes = u.r.classes;
  u.outputs = u.r.outputs;
  u.squared = u.regression || u.s.loss == TrainLoss::kSquared;
  u.width = TrainFeatureWidth(u.s.features);

  std::string out = Header(u, language);
  out += "SEED = " + std::to_string(u.s.seed) + "\n";
  out += Data(u, language);
  out += Weights(u);
  out += Batches();
  if (language == ExportLanguage::kTorch) {
    out += TorchModel(u) + TorchOptimizer(u) + TorchLoop(u);
  } else {
    out += NumpyModel(u) + NumpyOptimizer(u) + NumpyLoop(u);
  }
  *script = std::move(out);
  return true;
}

}  // namespace nnplay
