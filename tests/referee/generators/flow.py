"""Gradient-flow lab states: both configurations with every activation and
initialisation, depths 2-50, widths 1-32, constant weights from -4 to 4 (0 included),
plain and residual, any seeds, every block layer and curve, some `check` entries."""
from common import check_field, link, num

ACTS = ["sigmoid", "tanh", "relu", "leaky"]
INITS = ["const", "uniform", "xavier", "he"]


def config(rng, p):
    depth = rng.choice([2, 3, 5, 10, 20, rng.randint(2, 50)])
    width = rng.choice([1, 2, 4, 8, rng.randint(1, 32)])
    if rng.random() < 0.05:
        depth, width = 50, rng.choice([16, 32])
    init = rng.choice(INITS)
    w = rng.choice([1, 0, -1, 0.5, 4, -4, round(rng.uniform(-4, 4), 2)])
    return [(p + "_act", rng.choice(ACTS)), (p + "_depth", str(depth)),
            (p + "_width", str(width)), (p + "_init", init), (p + "_w", num(w)),
            (p + "_seed", str(rng.choice([0, 1, 999999999, rng.randint(0, 999999999)]))),
            (p + "_res", rng.choice(["0", "1"]))]


def generate(rng, count):
    out = []
    for i in range(count):
        fields = config(rng, "a") + config(rng, "b")
        fields += [("xseed", str(rng.choice([0, 1, rng.randint(0, 999999999)]))),
                   ("block", str(rng.randint(1, 50))), ("curve", rng.choice(ACTS))]
        if i % 5 == 0:
            fields.append(("check", check_field(rng, [("dsig0", 1), ("ratio_a", 1),
                                                      ("blk_a", 3)])))
        out.append(link("flow", fields))
    return out
