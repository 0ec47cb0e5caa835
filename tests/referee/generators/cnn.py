"""CNN lab states: bars, shapes and digits at 16x16 and 24x24, noise, seeds, one or two
conv blocks of 2-16 filters 3x3 or 5x5, SGD (with and without momentum) and Adam (lr at most
0.0005, see below), weight
decay (L2 for SGD, decoupled for Adam), batches of 1-32, 0-12 steps (the JSON traces up to
8, fewer for large networks; longer runs load the lab's final weights) and a drawing."""
from common import link, num, tensor


def _decimal(rng, lo, hi, digits=2):
    return round(rng.uniform(lo, hi), digits)


def generate(rng, count):
    out = []
    for i in range(count):
        data = ["bars", "shapes", "digits"][i % 3]
        size = 24 if rng.random() < 0.15 else 16
        blocks = rng.choice([1, 1, 2])
        # Small networks mostly: the ASan build replays them (and three times per state).
        f1 = rng.choice([2, 3, 4, 4, rng.randint(2, 16 if size == 16 else 8)])
        f2 = rng.choice([2, 4, rng.randint(2, 8)])
        fields = [("data", data), ("size", str(size)),
                  ("noise", num(rng.choice([0, 0.1, _decimal(rng, 0, 0.5)]))),
                  ("seed", str(rng.choice([1, 2, rng.randint(0, 2147483647)]))),
                  ("blocks", str(blocks)), ("f1", str(f1)), ("f2", str(f2)),
                  ("k", str(rng.choice([3, 5])))]
        opt = rng.choice(["sgd", "adam"])
        fields.append(("opt", opt))
        # Adam at lr <= 0.0005: Adam moves a weight by about lr * g / (|g| + 1e-8) whatever
        # g's size, so where a gradient is at float32's rounding level of its tensor (1e-6
        # of the largest: a pooled feature made of cancelling terms) float32 moves the step
        # by up to ~10% of lr. Measured, relative to the tensor's largest weight: 8.7e-5 at
        # lr 0.01 and 2.7e-5 at 0.003 (one state), 1.6e-5 at 0.001 (1 of 205 states). The
        # 1e-5 tolerance is unreachable for float32 Adam above that. (SGD's step is lr * g:
        # no such amplification, any lr.)
        lr = rng.choice([0.01, 0.05, 0.1, 0.001, _decimal(rng, 0.001, 1, 3)] if opt == "sgd"
                        else [0.0005, 0.0002, _decimal(rng, 0.0001, 0.0005, 4)])
        fields.append(("lr", num(lr)))
        fields.append(("mom", num(rng.choice([0.9, 0, 0.5, _decimal(rng, 0, 0.99)]))))
        fields.append(("batch", str(rng.choice([16, 1, 4, 8, rng.randint(1, 32)]))))
        if rng.random() < 0.4:
            fields.append(("decay", num(rng.choice([0.01, 0.1, _decimal(rng, 0, 1, 3)]))))
        fields.append(("steps", str(rng.choice([0, 1, 2, 4, 8, 8, rng.randint(0, 12)]))))
        if rng.random() < 0.7:
            pixels = [rng.choice([0, 0, 0, 1, _decimal(rng, -1, 2)]) for _ in range(size * size)]
            fields.append(("draw", tensor([size, size], pixels)))
        out.append(link("cnn", fields))
    return out


def _conv_floor(weight, bias, inputs):
    """The largest sum of |terms| of a conv or dense output: sum |w| * max |input| + |b|,
    per output channel (unit), the largest of them."""
    def total(t):
        return sum(total(v) for v in t) if isinstance(t, list) else abs(t if t else 0.0)
    big = max([abs(v) for v in inputs if v is not None] + [0.0])
    return max(total(w) * big + abs(b or 0.0) for w, b in zip(weight, bias))


def scales(doc):
    """The drawing's maps: a conv output near 0 is a sum of larger terms (float32 rounds
    them), so each map's floor is its conv's (or the dense layer's) largest
    sum |w| |input| + |b|, through ReLU and pooling; probabilities: 1."""
    result, state = doc["result"], doc["state"]
    weights = result.get("weights") or {}
    maps = result.get("maps") or []
    out = {"result/probs": 1.0}
    if not weights or not maps:
        return out
    names = list(weights)
    inputs = state["draw"]["values"]
    floor, m = 0.0, 0
    for name in names:
        if not name.endswith(".weight"):
            continue
        bias = weights[name[:-len(".weight")] + ".bias"]
        floor = _conv_floor(weights[name], bias, inputs)
        group = 3 if name.startswith("conv") else 1
        for _ in range(group):
            if m < len(maps):
                out["result/maps/%d/values" % m] = floor
                m += 1
        if m - 1 < len(maps):
            inputs = maps[m - 1]["values"]
    return out
