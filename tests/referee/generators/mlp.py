"""Neuron & MLP lab states: inputs of 1-16, 1-6 layers of 1-16 units, every activation
(the last layer too: softmax or not), biases on some layers, zero weights (dead ReLUs,
identical units), every target class, forward and backward mode."""
from common import check_field, link, tensor, values

ACTIVATIONS = ["linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"]


def generate(rng, count):
    out = []
    for i in range(count):
        depth = rng.choice([1, 1, 2, 3, 3, 4, rng.randint(1, 6)])
        sizes = [rng.choice([1, 2, 3, 4, rng.randint(1, 16)]) for _ in range(depth + 1)]
        fields = [("x", tensor([sizes[0]], values(rng, sizes[0], rng.choice([1, 2]))))]
        for l in range(1, depth + 1):
            act = rng.choice(ACTIVATIONS + ["relu", "softmax"] if l == depth else ACTIVATIONS)
            fields.append(("l%d" % l, act))
            shape = [sizes[l], sizes[l - 1]]
            scale = rng.choice([0.5, 1, 1]) if rng.random() > 0.05 else 0.0
            w = values(rng, shape[0] * shape[1], max(scale, 0.01), zeros=0.2 if scale else 1.0)
            fields.append(("w%d" % l, tensor(shape, w)))
            if rng.random() < 0.4:
                fields.append(("b%d" % l, tensor([sizes[l]], values(rng, sizes[l], 0.5))))
        fields.append(("target", str(rng.randint(1, sizes[-1]))))
        fields.append(("mode", rng.choice(["fwd", "bwd"])))
        if i % 5 == 0:
            fields.append(("check", check_field(rng, [("z1", sizes[1])])))
        out.append(link("mlp", fields))
    return out


def _abs_matvec(w, v):  # |W| |v|, W as nested rows
    return [sum(abs(a) * abs(b) for a, b in zip(row, v)) for row in w]


def _rows(t):
    units, inputs = t["shape"]
    vals = t["values"]
    return [vals[i * inputs:(i + 1) * inputs] for i in range(units)]


def scales(doc):
    """The magnitude of the terms behind each value (float32 rounding error is at most
    about n * 6e-8 times it): z = W a + b sums |W||a| + |b|; dL/dz of the output is p - y,
    of magnitude 1; each gradient further down sums |W|^T times the magnitude above (every
    activation's slope is at most 1; softmax's Jacobian at most 2)."""
    state, result = doc["state"], doc["result"]
    layers = state["layers"]
    out = {}
    prev = [abs(v) for v in state["x"]["values"]]
    for l, ly in enumerate(layers):
        w = _rows(ly["w"])
        mag = [m + abs(b) for m, b in zip(_abs_matvec(w, prev), ly["b"]["values"])]
        out["result/layers/%d/z" % l] = max(mag)
        out["result/layers/%d/a" % l] = max(mag)
        prev = [abs(v) if v is not None else 0 for v in result["layers"][l]["a"]["values"]]
    z_last = out["result/layers/%d/z" % (len(layers) - 1)]
    out["result/loss"] = max(z_last, 1.0)
    out["result/probs"] = 1.0
    dz = [1.0] * layers[-1]["units"]
    for l in range(len(layers) - 1, -1, -1):
        ly = layers[l]
        inputs = [abs(v) for v in (state["x"]["values"] if l == 0 else
                                   result["layers"][l - 1]["a"]["values"])]
        out["result/layers/%d/dz" % l] = max(dz)
        out["result/layers/%d/db" % l] = max(dz)
        out["result/layers/%d/dw" % l] = max(dz) * max(inputs + [0])
        w = _rows(ly["w"])
        below = [sum(abs(w[i][j]) * dz[i] for i in range(len(w))) for j in range(ly["inputs"])]
        if l == 0:
            out["result/dx"] = max(below)
        else:
            out["result/layers/%d/da" % (l - 1)] = max(below)
            factor = 2.0 if layers[l - 1]["activation"] == "softmax" else 1.0
            dz = [factor * b for b in below]
    return out
