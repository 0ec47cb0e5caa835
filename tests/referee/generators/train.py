"""Training lab states: every dataset (blobs and spirals with 3-5 classes, the two
regressions), seeds, noise, splits, any non-empty set of the seven features, 0-8 hidden
layers of 1-16 units with one activation or one per layer, both losses, no/L1/L2
regularization at any rate, both initialisations, SGD (momentum 0 is TensorFlow
Playground's plain step) and Adam, batches of 1-64, points added and removed by hand,
weights typed in before and between steps, and 0-14 steps (the JSON traces the first 10,
each compared; runs of at most 5 steps are compared to the end: the losses on the whole
sets)."""
import math

from common import link, num

DATA = ["circle", "xor", "gauss", "spiral", "blobs3", "blobs", "spirals", "plane", "mgauss"]
FEATURES = ["x", "y", "x2", "y2", "xy", "sinx", "siny"]
ACTS = ["tanh", "relu", "sigmoid", "linear"]


def _decimal(rng, lo, hi, digits=2):
    return round(rng.uniform(lo, hi), digits)


def generate(rng, count):
    out = []
    for i in range(count):
        data = DATA[i % len(DATA)] if i < 2 * len(DATA) else rng.choice(DATA)
        regression = data in ("plane", "mgauss")
        fields = [("data", data)]
        classes = 2
        if data in ("blobs", "spirals"):
            classes = rng.randint(3, 5)
            fields.append(("classes", str(classes)))
        elif data == "blobs3":
            classes = 3
        fields.append(("seed", str(rng.choice([0, 1, 2, 7, rng.randint(0, 2147483647)]))))
        fields.append(("noise", num(rng.choice([0, 0, 0.1, _decimal(rng, 0, 0.5)]))))
        fields.append(("split", str(rng.choice([50, 10, 90, rng.randint(10, 90)]))))
        feats = [f for f in FEATURES if rng.random() < 0.4] or [rng.choice(FEATURES)]
        fields.append(("feat", ",".join(feats)))
        depth = rng.choice([0, 1, 1, 2, 2, 3, rng.randint(0, 8)])
        layers = [rng.choice([1, 2, 3, 4, 8, rng.randint(1, 16)]) for _ in range(depth)]
        fields.append(("layers", ",".join(str(u) for u in layers)))
        if depth > 1 and rng.random() < 0.4:
            fields.append(("act", ",".join(rng.choice(ACTS) for _ in range(depth))))
        else:
            fields.append(("act", rng.choice(ACTS)))
        if not regression and rng.random() < 0.4:
            fields.append(("loss", "mse"))
        reg = rng.choice(["none", "none", "l1", "l2"])
        if reg != "none":
            fields.append(("reg", reg))
            fields.append(("rate", num(rng.choice([0.001, 0.01, 0.1, _decimal(rng, 0, 1, 3)]))))
        if rng.random() < 0.3:
            fields.append(("init", "uniform"))
        opt = rng.choice(["sgd", "adam"])
        fields.append(("opt", opt))
        # Learning rates up to 0.3: larger ones make the linear networks overflow float32
        # within 10 steps, where the lab's inf and float64's 1e97 part ways.
        fields.append(("lr", num(rng.choice([0.03, 0.01, 0.1, 0.3, _decimal(rng, 0.001, 0.3, 3)]))))
        if opt == "sgd":
            fields.append(("mom", num(rng.choice([0, 0, 0.9, 0.5, _decimal(rng, 0, 0.99)]))))
        batch = rng.choice([10, 1, 4, 7, rng.randint(1, 64)])
        fields.append(("batch", str(batch)))
        steps = rng.choice([0, 1, 2, 3, 5, 10, 10, rng.randint(0, 14)])
        fields.append(("steps", str(steps)))
        if rng.random() < 0.25:
            pts = []
            for _ in range(rng.randint(1, 6)):
                v = _decimal(rng, -1, 1) if regression else rng.randint(0, classes - 1)
                pts.append("%s,%s,%s" % (num(_decimal(rng, -6, 6)), num(_decimal(rng, -6, 6)),
                                         num(v)))
            fields.append(("add", ";".join(pts)))
        if rng.random() < 0.25:
            fields.append(("rm", ",".join(str(j) for j in sorted(rng.sample(range(400),
                                                                        rng.randint(1, 40))))))
        if rng.random() < 0.25:
            width = len(feats)
            params, fan_in = 0, width
            outputs = 1 if regression or (classes == 2 and ("loss", "mse") in fields) else classes
            for u in layers + [outputs]:
                params += (fan_in + 1) * u
                fan_in = u
            edits = sorted((rng.randint(0, steps), rng.randrange(params),
                            rng.choice([0, _decimal(rng, -2, 2)])) for _ in range(rng.randint(1, 5)))
            fields.append(("edit", ";".join("%d,%d,%s" % (s, p, num(v)) for s, p, v in edits)))
        out.append(link("train", fields))
    return out


# ---- tolerance: the magnitude of the terms behind each value (README: Cancellation) ----

_FEATURE = {
    "x": lambda x, y: x, "y": lambda x, y: y, "x2": lambda x, y: x * x,
    "y2": lambda x, y: y * y, "xy": lambda x, y: x * y,
    "sinx": lambda x, y: math.sin(x), "siny": lambda x, y: math.sin(y),
}
_ACT = {"tanh": math.tanh, "relu": lambda z: max(z, 0.0),
        "sigmoid": lambda z: 1 / (1 + math.exp(-z)) if z > -700 else 0.0, "linear": lambda z: z}


def _gradient_bounds(state, points, weights, batch):
    """For one step (the weights before it, its batch): per layer the bound on |dW| and |db|
    element by element that backpropagation's sums are made of: the output's error terms of
    magnitude 1 (targets +-1, probabilities and one-hot labels), every activation's slope
    taken as 1, |W|^T carried backward, the batch mean of |delta| |a|. float32's rounding of
    a gradient is at most about n * 6e-8 times it (n the terms of its sums). Returns per
    layer (largest |dW| bound, largest |db| bound, Frobenius norm of the |dW| bound)."""
    acts = state["activations"]
    n_layers = len(weights)
    sums_w = [[0.0] * (L["in"] * L["out"]) for L in weights]
    sums_b = [[0.0] * L["out"] for L in weights]
    for idx in batch:
        x, y = points[idx][0], points[idx][1]
        a_val = [_FEATURE[f](x, y) for f in state["features"]]
        inputs = [[abs(v) for v in a_val]]
        for l, L in enumerate(weights[:-1]):
            n_in, n_out = L["in"], L["out"]
            z = [sum(L["W"][o * n_in + i] * a_val[i] for i in range(n_in)) + L["b"][o]
                 for o in range(n_out)]
            a_val = [_ACT[acts[l]](v) for v in z]
            inputs.append([abs(v) for v in a_val])
        delta = [1.0] * weights[-1]["out"]
        for l in range(n_layers - 1, -1, -1):
            L = weights[l]
            n_in, n_out = L["in"], L["out"]
            for o in range(n_out):
                sums_b[l][o] += delta[o]
                for i in range(n_in):
                    sums_w[l][o * n_in + i] += delta[o] * inputs[l][i]
            delta = [sum(abs(L["W"][o * n_in + i]) * delta[o] for o in range(n_out))
                     for i in range(n_in)]
    n = max(len(batch), 1)
    return [(max(sw + [0.0]) / n, max(sb + [0.0]) / n, math.sqrt(sum((v / n) ** 2 for v in sw)))
            for sw, sb in zip(sums_w, sums_b)]


def scales(doc):
    """Weights after step k are w0 plus the steps' changes, each change lr times a gradient
    that is itself a sum of |delta| |a| terms (_gradient_bounds): the terms' magnitude is
    |w0| + the sum over the steps of lr * (the gradient bound, carried through the momentum,
    plus the penalty's rate * |w| or rate); an Adam step is about lr whatever the gradient's
    scale (it divides by the gradient's own size), so there each step's term is lr. The
    floor also holds the path the lab's own weights took, |w0| + sum |w_i - w_(i-1)|.
    A loss is computed from outputs and targets of magnitude 1 (targets +-1, one-hot labels,
    probabilities): at least 1. A gradient norm: the Frobenius norm of its bound."""
    result, state = doc["result"], doc["state"]
    out = {}
    trace = result.get("trace") or []
    initial = result.get("initial_weights") or []
    weights_ok = all(v is not None for step in trace for L in step["weights"]
                     for v in L["W"] + L["b"])
    if not weights_ok or not initial:
        return out
    points = result["points"]["train"]
    lr, mom = state["lr"], state["momentum"] if state["opt"] == "sgd" else 0.0
    rate = state["rate"] if state["reg"] != "none" else 0.0
    adam = state["opt"] == "adam"
    length = [{k: [abs(v) for v in L[k]] for k in ("W", "b")} for L in initial]
    terms = [{k: max([abs(v) for v in L[k]] + [0.0]) for k in ("W", "b")} for L in initial]
    velocity = [{"W": 0.0, "b": 0.0} for _ in initial]
    prev = initial
    bounds = []
    for k, step in enumerate(trace):
        bounds = _gradient_bounds(state, points, prev, step["batch"])
        for l, L in enumerate(step["weights"]):
            for key, g in (("W", bounds[l][0]), ("b", bounds[l][1])):
                if key == "W" and rate:
                    big = max([abs(v) for v in prev[l]["W"]] + [0.0])
                    g += rate * (big if state["reg"] == "l2" else 1.0)
                velocity[l][key] = mom * velocity[l][key] + g
                terms[l][key] += lr if adam else lr * velocity[l][key]
                length[l][key] = [m + abs(a - b) for m, a, b in
                                  zip(length[l][key], L[key], prev[l][key])]
                floor = max(length[l][key] + [terms[l][key]])
                out["result/trace/%d/weights/%d/%s" % (k, l, key)] = floor
                if k + 1 == result.get("steps"):
                    out["result/weights/%d/%s" % (l, key)] = floor
        prev = step["weights"]
    for k in range(len(trace)):
        out["result/trace/%d/loss" % k] = 1.0
    for key in ("train_loss", "test_loss", "last_batch_loss"):
        out["result/" + key] = 1.0
    if trace and len(trace) == result.get("steps"):
        for l, b in enumerate(bounds):
            out["result/grad_norms/%d/norm" % l] = b[2]
    return out
