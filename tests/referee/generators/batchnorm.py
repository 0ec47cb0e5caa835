"""Batch-norm lab states: 1-8 features, batches of 1-64 (mostly small), constant features,
eps 0 / 1e-5 / up to 1, momentum 0-1, training and inference, running statistics with
zeros (a running variance of 0 with eps = 0 leaves xhat undefined at inference), gamma and
beta written or left to their defaults, some `check` entries."""
from common import check_field, link, num, tensor, value, values


def generate(rng, count):
    out = []
    for i in range(count):
        c = rng.choice([1, 1, 2, 3, rng.randint(1, 8)])
        n = rng.choice([1, 2, 3, 4, 5, 8, rng.randint(1, 16), rng.randint(1, 64)])
        scale = rng.choice([1, 1, 10, 100, 0.01])
        rows = []
        for _ in range(c):
            if rng.random() < 0.12:
                rows += [rng.choice([0, 3, -2, 0.5, 7])] * n  # a constant feature
            else:
                rows += values(rng, n, scale)
        shape = [n] if c == 1 and rng.random() < 0.3 else [c, n]
        fields = [("x", tensor(shape, rows))]
        if rng.random() < 0.7:
            fields.append(("g", tensor([c], values(rng, c, 2, zeros=0.1))))
        if rng.random() < 0.7:
            fields.append(("b", tensor([c], values(rng, c))))
        eps = rng.choice([0, 0, 1e-5, 1e-5, 0.001, 0.1, 1, round(rng.uniform(0, 1), 3)])
        fields.append(("eps", num(eps)))
        if rng.random() < 0.8:
            fields.append(("mom", num(rng.choice([0, 0.1, 0.5, 1, round(rng.random(), 2)]))))
        mode = rng.choice(["train", "infer"])
        fields.append(("mode", mode))
        if rng.random() < 0.7:
            fields.append(("rm", tensor([c], values(rng, c, scale))))
        if rng.random() < 0.7:
            fields.append(("rv", tensor([c], [abs(value(rng, scale, zeros=0.3)) for _ in range(c)])))
        if i % 4 == 0:
            fields.append(("check", check_field(rng, [("mu", c), ("var", c), ("sigma", c),
                                                      ("xhat", c * n), ("y", c * n)])))
        out.append(link("batchnorm", fields))
    return out
