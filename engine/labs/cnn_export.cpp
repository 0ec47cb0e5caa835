// cnn_export.cpp: the CNN lab as a PyTorch or NumPy script (labs/export.h).
//
// The lab draws its images from the seed with its own drawing code, too long to write out
// in a script; the script holds the images its first steps use (the trace of `nnplay
// eval`, CnnTraceSteps), the batches in the lab's order, nnplay's initial weights, the
// network, the loss and the optimizer with its weight decay, and replays those steps. Then
// it loads the lab's weights after all the link's steps and shows the drawing's class
// probabilities and every layer's maps, as the lab does. For the referee it leaves
// `results`: the initial weights, each traced step's loss and weights after it, the
// drawing's probabilities and maps (JSON paths result/...).
#include <string>
#include <vector>

#include "labs/cnn_lab.h"
#include "labs/export.h"
#include "labs/export_text.h"
#include "link/number.h"

namespace nnplay {
namespace {

// A nested Python list of `shape`, the innermost rows on one line each.
void Nested(const std::vector<int>& shape, const float* v, const std::string& indent,
            std::string* out) {
  if (shape.size() <= 1) {
    *out += "[";
    const int n = shape.empty() ? 1 : shape[0];
    for (int i = 0; i < n; ++i) *out += (i ? ", " : "") + PyFloat(v[i]);
    *out += "]";
    return;
  }
  size_t inner = 1;
  for (size_t d = 1; d < shape.size(); ++d) inner *= static_cast<size_t>(shape[d]);
  const std::vector<int> rest(shape.begin() + 1, shape.end());
  *out += "[\n";
  for (int i = 0; i < shape[0]; ++i) {
    *out += indent + "    ";
    Nested(rest, v + static_cast<size_t>(i) * inner, indent + "    ", out);
    *out += ",\n";
  }
  *out += indent + "]";
}

std::string Tensors(const std::vector<CnnParamTensor>& ts) {
  std::string out = "{\n";
  for (const CnnParamTensor& t : ts) {
    out += "    \"" + t.name + "\": ";
    Nested(t.shape, t.values.data(), "    ", &out);
    out += ",\n";
  }
  return out + "}\n";
}

std::string Common(const CnnLabState& s, const CnnLabResult& r, bool torch, int traced) {
  std::string out;
  out += std::string("# nnplay's CNN lab as ") + (torch ? "PyTorch" : "NumPy") +
         ": paste it into a notebook and run it.\n";
  out += "# The link: " + EncodeCnnLab(s) + "\n";
  out +=
      "# It rebuilds the network with nnplay's initial weights, replays the lab's first\n"
      "# " +
      std::to_string(traced) +
      " training step(s) on the same images in the same order, then loads the lab's weights\n"
      "# after all its steps and shows the drawing's class probabilities, as the lab does.\n"
      "# nnplay computes in float32, this script in float64: they agree to about six digits.\n";
  out +=
      torch ? "import torch\n\ntorch.set_default_dtype(torch.float64)\n" : "import numpy as np\n";
  out += "\nSTEPS = " + std::to_string(s.steps) + "  # training steps the link holds\n";
  out += "TRACED = " + std::to_string(traced) +
         "  # the first steps replayed here (their images are below)\n";
  out += "SIZE = " + std::to_string(s.size) + "  # image side, pixels\n";
  out += "CLASS_NAMES = [";
  for (int c = 0; c < r.classes; ++c)
    out += std::string(c ? ", " : "") + "\"" + CnnClassName(s.data, c) + "\"";
  out += "]\n";
  out += "\n# ---- The data: " + std::string(CnnDataName(s.data)) + ", " +
         std::to_string(r.train_count) +
         (s.data == CnnDataKind::kFashion
              ? " Fashion-MNIST training images (pixel / 255)"
              : " training images drawn from seed " + std::to_string(s.seed)) +
         " with noise " + FormatFloat(s.noise) +
         " (uniform in [-noise, noise] on every pixel).\n"
         "# The images the replayed steps use: training-set index -> (class, pixels [SIZE, "
         "SIZE]).\n";
  out += "IMAGES = {\n";
  const size_t px = static_cast<size_t>(s.size) * static_cast<size_t>(s.size);
  for (size_t i = 0; i < r.image_index.size(); ++i) {
    out +=
        "    " + std::to_string(r.image_index[i]) + ": (" + std::to_string(r.image_label[i]) + ", ";
    Nested({s.size, s.size}, r.images.data() + i * px, "    ", &out);
    out += "),\n";
  }
  out += "}\n";
  out += "# Each step's batch (training-set indices), in the lab's order (its PCG32 shuffle).\n";
  out += "BATCHES = [\n";
  for (const CnnLabResult::TraceStep& t : r.trace) {
    out += "    [";
    for (size_t i = 0; i < t.batch.size(); ++i) out += (i ? ", " : "") + std::to_string(t.batch[i]);
    out += "],\n";
  }
  out += "]\n";
  out +=
      "\n# ---- nnplay's initial weights (Glorot-uniform from the seed, biases 0), set\n"
      "# explicitly: PyTorch initialises its layers differently. Conv weights [out, in, k, k],\n"
      "# dense [out, in] (the input flattened channel by channel, row by row).\n";
  out += "INITIAL_WEIGHTS = " + Tensors(r.initial_params);
  out += "# The drawing (the link's), classified and shown layer by layer.\n";
  out += "DRAWING = ";
  Nested({s.size, s.size}, s.draw.data(), "", &out);
  out += "\n";
  return out;
}

std::string Architecture(const CnnLabState& s, int classes) {
  std::string out = "conv " + std::to_string(s.f1) + " x " + std::to_string(s.k) + "x" +
                    std::to_string(s.k) + " (same padding) -> ReLU -> max pool 2";
  if (s.blocks > 1)
    out += " -> conv " + std::to_string(s.f2) + " x " + std::to_string(s.k) + "x" +
           std::to_string(s.k) + " -> ReLU -> max pool 2";
  return out + " -> dense " + std::to_string(classes) + " -> softmax";
}

int PooledInputs(const CnnLabState& s) {
  int side = s.size / 2, c = s.f1;
  if (s.blocks > 1) side /= 2, c = s.f2;
  return side * side * c;
}

std::string Torch(const CnnLabState& s, const CnnLabResult& r, int traced) {
  std::string out = Common(s, r, true, traced);
  const std::string k = std::to_string(s.k), pad = std::to_string(s.k / 2);
  out += "\n# ---- The network: " + Architecture(s, r.classes) + ".\n";
  out += "model = torch.nn.Sequential(\n";
  out += "    torch.nn.Conv2d(1, " + std::to_string(s.f1) + ", " + k + ", padding=" + pad +
         "),  # block 1\n    torch.nn.ReLU(),\n    torch.nn.MaxPool2d(2),\n";
  if (s.blocks > 1)
    out += "    torch.nn.Conv2d(" + std::to_string(s.f1) + ", " + std::to_string(s.f2) + ", " + k +
           ", padding=" + pad + "),  # block 2\n    torch.nn.ReLU(),\n    torch.nn.MaxPool2d(2),\n";
  out += "    torch.nn.Flatten(),\n    torch.nn.Linear(" + std::to_string(PooledInputs(s)) + ", " +
         std::to_string(r.classes) + "),  # the logits, one per class\n)\n";
  out += R"(# The lab's names for the parameters, in the model's order.
names = list(INITIAL_WEIGHTS)
params = list(model.parameters())


def load(weights):
    with torch.no_grad():
        for name, p in zip(names, params):
            p.copy_(torch.tensor(weights[name]))


load(INITIAL_WEIGHTS)
loss_fn = torch.nn.CrossEntropyLoss()  # softmax cross-entropy, the mean over the batch
)";
  out += "\n# ---- The optimizer";
  const std::string lr = PyFloat(s.lr), decay = PyFloat(s.decay);
  const bool decayed = s.decay != 0.0f;
  std::string groups = "model.parameters()";
  if (decayed)
    groups = "[{\"params\": weights, \"weight_decay\": " + decay +
             "}, {\"params\": biases, \"weight_decay\": 0.0}]";
  out +=
      "\nweights = [p for name, p in zip(names, params) if name.endswith(\".weight\")]\n"
      "biases = [p for name, p in zip(names, params) if name.endswith(\".bias\")]\n";
  if (s.opt == CnnOptimizer::kAdam) {
    if (decayed) {
      out += "# Adam with decoupled weight decay " + decay +
             " on the weights (not the biases): w <- w - lr * decay * w\n"
             "# before each Adam step, which is PyTorch's AdamW.\n";
      out += "optimizer = torch.optim.AdamW(" + groups + ", lr=" + lr +
             ", betas=(0.9, 0.999), eps=1e-8)\n";
    } else {
      out += "\noptimizer = torch.optim.Adam(model.parameters(), lr=" + lr +
             ", betas=(0.9, 0.999), eps=1e-8)\n";
    }
  } else {
    if (decayed)
      out += "# L2 weight decay " + decay +
             " on the weights (not the biases): decay * w joins the gradient,\n"
             "# which is PyTorch's SGD weight_decay.\n";
    out += "# SGD";
    out += s.momentum != 0.0f
               ? " with momentum, PyTorch's form as the lab's: v <- momentum * v + g; "
                 "w <- w - lr * v.\n"
               : ".\n";
    out += "optimizer = torch.optim.SGD(" + groups + ", lr=" + lr +
           (s.momentum != 0.0f ? ", momentum=" + PyFloat(s.momentum) : std::string()) + ")\n";
  }
  out += R"(

def record(prefix):
    for name, p in zip(names, params):
        results[f"{prefix}/{name}"] = p.detach().tolist()


# ---- Training: the lab's first steps.
results = {}
record("result/initial_weights")
for step, batch in enumerate(BATCHES, start=1):
    x = torch.tensor([IMAGES[i][1] for i in batch], dtype=torch.float64).unsqueeze(1)  # [batch, 1, SIZE, SIZE]
    y = torch.tensor([IMAGES[i][0] for i in batch])
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    print(f"step {step}: batch loss {loss.item():.6g}")
    results[f"result/trace/{step - 1}/loss"] = loss.item()
    record(f"result/trace/{step - 1}/weights")
if STEPS == TRACED:
    if STEPS:
        results["result/last_batch_loss"] = loss.item()
    record("result/weights")
    results["result/filters/values"] = params[0].detach().flatten().tolist()
)";
  if (s.steps > traced) {
    out += "\n# ---- The lab's weights after all " + std::to_string(s.steps) +
           " steps (too many to replay here without the\n# whole training set).\n";
    out += "TRAINED_WEIGHTS = " + Tensors(r.params);
    out += "load(TRAINED_WEIGHTS)\n";
  }
  out += R"(
# ---- What the lab shows for the drawing: every layer's maps and the class probabilities.
with torch.no_grad():
    h = torch.tensor(DRAWING, dtype=torch.float64).reshape(1, 1, SIZE, SIZE)
    shown = 0
    for layer in model:
        h = layer(h)
        if isinstance(layer, torch.nn.Flatten):
            continue  # the lab shows no map for the flattening
        results[f"result/maps/{shown}/values"] = h.flatten().tolist()
        shown += 1
    probs = torch.softmax(h, dim=1)[0]
for name, p in zip(CLASS_NAMES, probs.tolist()):
    print(f"p({name}) = {p:.4f}")
print("predicted:", CLASS_NAMES[int(probs.argmax())])
results["result/probs"] = probs.tolist()
)";
  return out;
}

std::string Numpy(const CnnLabState& s, const CnnLabResult& r, int traced) {
  std::string out = Common(s, r, false, traced);
  out += "\n# ---- The network: " + Architecture(s, r.classes) + ".\n";
  out += "BLOCKS = " + std::to_string(s.blocks) + "\nPAD = " + std::to_string(s.k / 2) +
         "  # same padding: k // 2 on every side\n";
  out += R"(names = list(INITIAL_WEIGHTS)
P = {name: np.array(w, dtype=np.float64) for name, w in INITIAL_WEIGHTS.items()}


def conv_forward(x, w, b):
    """x [n, c, h, w], w [f, c, k, k]: cross-correlation with zero padding PAD, stride 1."""
    n, c, h, wd = x.shape
    f, _, k, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (PAD, PAD), (PAD, PAD)))
    # cols [n, c, k, k, h, w]: every input value each output position sees.
    cols = np.stack([np.stack([xp[:, :, i:i + h, j:j + wd] for j in range(k)], axis=2)
                     for i in range(k)], axis=2)
    return np.einsum("ncklhw,fckl->nfhw", cols, w) + b[None, :, None, None], cols


def conv_backward(dy, cols, w):
    n, f, h, wd = dy.shape
    k = w.shape[2]
    dw = np.einsum("nfhw,ncklhw->fckl", dy, cols)
    db = dy.sum(axis=(0, 2, 3))
    dcols = np.einsum("nfhw,fckl->ncklhw", dy, w)
    dxp = np.zeros((n, w.shape[1], h + 2 * PAD, wd + 2 * PAD))
    for i in range(k):
        for j in range(k):
            dxp[:, :, i:i + h, j:j + wd] += dcols[:, :, i, j]
    return dxp[:, :, PAD:PAD + h, PAD:PAD + wd], dw, db


def pool_forward(x):
    """Max pooling 2x2, stride 2 (a last odd row or column dropped); the first maximum of a
    window (row by row) takes the gradient, as in the lab and PyTorch."""
    n, c, h, w = x.shape
    ho, wo = h // 2, w // 2
    windows = x[:, :, :2 * ho, :2 * wo].reshape(n, c, ho, 2, wo, 2).transpose(0, 1, 2, 4, 3, 5)
    windows = windows.reshape(n, c, ho, wo, 4)
    arg = windows.argmax(axis=4)  # numpy's argmax: the first maximum
    return windows.max(axis=4), (arg, x.shape)


def pool_backward(dy, cache):
    arg, shape = cache
    n, c, ho, wo = dy.shape
    dwin = np.zeros((n, c, ho, wo, 4))
    np.put_along_axis(dwin, arg[..., None], dy[..., None], axis=4)
    dx = np.zeros(shape)
    dx[:, :, :2 * ho, :2 * wo] = (dwin.reshape(n, c, ho, wo, 2, 2).transpose(0, 1, 2, 4, 3, 5)
                                  .reshape(n, c, 2 * ho, 2 * wo))
    return dx


def forward(x):
    """x [n, 1, SIZE, SIZE] -> logits [n, classes]; the maps the lab shows and a cache."""
    maps, cache, h = [], [], x
    for block in range(BLOCKS):
        conv = "conv%d" % (3 * block)
        z, cols = conv_forward(h, P[conv + ".weight"], P[conv + ".bias"])
        a = np.maximum(z, 0)  # ReLU
        h, pool = pool_forward(a)
        maps += [z, a, h]
        cache.append((cols, conv, a, pool))
    dense = names[-2][:-len(".weight")]
    flat = h.reshape(len(h), -1)  # channel by channel, row by row
    logits = flat @ P[dense + ".weight"].T + P[dense + ".bias"]
    maps.append(logits)
    return logits, maps, (cache, flat, h.shape, dense)


def gradients(x, y):
    """Softmax cross-entropy (the mean over the batch) and every parameter's gradient."""
    logits, _, (cache, flat, shape, dense) = forward(x)
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.log(p[np.arange(n), y]).mean()
    d = p
    d[np.arange(n), y] -= 1
    d /= n
    g = {dense + ".weight": d.T @ flat, dense + ".bias": d.sum(axis=0)}
    dh = (d @ P[dense + ".weight"]).reshape(shape)
    for cols, conv, a, pool in reversed(cache):
        da = pool_backward(dh, pool)
        dz = da * (a > 0)
        dh, g[conv + ".weight"], g[conv + ".bias"] = conv_backward(dz, cols, P[conv + ".weight"])
    return loss, g
)";
  out += "\n# ---- The optimizer\nLR = " + PyFloat(s.lr) + "\nDECAY = " + PyFloat(s.decay) +
         "  # weight decay, on the weights only (not the biases)\n";
  if (s.opt == CnnOptimizer::kAdam) {
    out +=
        "# Adam (beta1 0.9, beta2 0.999, eps 1e-8); the decay is decoupled (AdamW):\n"
        "# w <- w - lr * decay * w before each step.\n"
        "BETA1, BETA2, EPS = 0.9, 0.999, 1e-8\n"
        "m = {name: np.zeros_like(p) for name, p in P.items()}\n"
        "v = {name: np.zeros_like(p) for name, p in P.items()}\n";
  } else {
    out += "# SGD with momentum " + PyFloat(s.momentum) +
           ": v <- momentum * v + g; w <- w - lr * v; the decay is L2:\n"
           "# decay * w joins the weights' gradient.\n"
           "MOMENTUM = " +
           PyFloat(s.momentum) + "\nvelocity = {name: np.zeros_like(p) for name, p in P.items()}\n";
  }
  out +=
      "t = 0\n\n\ndef update(g):\n    global t\n    t += 1\n    for name, p in P.items():\n"
      "        grad = g[name]\n";
  if (s.opt == CnnOptimizer::kAdam) {
    out +=
        "        if name.endswith(\".weight\"):\n"
        "            p -= LR * DECAY * p\n"
        "        m[name] = BETA1 * m[name] + (1 - BETA1) * grad\n"
        "        v[name] = BETA2 * v[name] + (1 - BETA2) * grad * grad\n"
        "        m_hat = m[name] / (1 - BETA1**t)\n"
        "        v_hat = v[name] / (1 - BETA2**t)\n"
        "        p -= LR * m_hat / (np.sqrt(v_hat) + EPS)\n";
  } else {
    out +=
        "        if name.endswith(\".weight\"):\n"
        "            grad = grad + DECAY * p\n"
        "        velocity[name] = MOMENTUM * velocity[name] + grad\n"
        "        p -= LR * velocity[name]\n";
  }
  out += R"(

def record(prefix):
    for name in names:
        results[f"{prefix}/{name}"] = P[name].tolist()


# ---- Training: the lab's first steps.
results = {}
record("result/initial_weights")
for step, batch in enumerate(BATCHES, start=1):
    x = np.array([IMAGES[i][1] for i in batch], dtype=np.float64)[:, None]  # [batch, 1, SIZE, SIZE]
    y = np.array([IMAGES[i][0] for i in batch])
    loss, g = gradients(x, y)
    update(g)
    print(f"step {step}: batch loss {loss:.6g}")
    results[f"result/trace/{step - 1}/loss"] = float(loss)
    record(f"result/trace/{step - 1}/weights")
if STEPS == TRACED:
    if STEPS:
        results["result/last_batch_loss"] = float(loss)
    record("result/weights")
    results["result/filters/values"] = P[names[0]].flatten().tolist()
)";
  if (s.steps > traced) {
    out += "\n# ---- The lab's weights after all " + std::to_string(s.steps) +
           " steps (too many to replay here without the\n# whole training set).\n";
    out += "TRAINED_WEIGHTS = " + Tensors(r.params);
    out += "P = {name: np.array(w, dtype=np.float64) for name, w in TRAINED_WEIGHTS.items()}\n";
  }
  out += R"(
# ---- What the lab shows for the drawing: every layer's maps and the class probabilities.
logits, maps, _ = forward(np.array(DRAWING, dtype=np.float64).reshape(1, 1, SIZE, SIZE))
for i, h in enumerate(maps):
    results[f"result/maps/{i}/values"] = h.flatten().tolist()
z = logits[0] - logits[0].max()
probs = np.exp(z) / np.exp(z).sum()
for name, p in zip(CLASS_NAMES, probs.tolist()):
    print(f"p({name}) = {p:.4f}")
print("predicted:", CLASS_NAMES[int(probs.argmax())])
results["result/probs"] = probs.tolist()
)";
  return out;
}

}  // namespace

bool ExportCnnLab(const Link& link, ExportLanguage language, std::string* script,
                  LinkError* error) {
  CnnLabState s;
  if (!DecodeCnnLab(link, &s, error)) return false;
  const CnnLabResult r = EvaluateCnnLab(s);
  if (!r.error.empty()) {
    *error = {"f1", "the network cannot be built: " + r.error};
    return false;
  }
  const int traced = static_cast<int>(r.trace.size());
  *script = language == ExportLanguage::kTorch ? Torch(s, r, traced) : Numpy(s, r, traced);
  return true;
}

}  // namespace nnplay
