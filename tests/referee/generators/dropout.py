"""Dropout lab states: 1-64 activations (negatives, zeros), keep probabilities from 0.01
to 1, standard and inverted, any seed, 1-10000 masks, any unit, some `check` entries."""
from common import check_field, link, num, tensor, values


def generate(rng, count):
    out = []
    for i in range(count):
        n = rng.choice([1, 2, 5, 8, rng.randint(1, 64)])
        p = rng.choice([1, 0.5, 0.8, 0.01, 0.99, round(rng.uniform(0.01, 1), 2)])
        fields = [("a", tensor([n], values(rng, n, rng.choice([1, 10])))), ("p", num(p)),
                  ("mode", rng.choice(["standard", "inverted"])),
                  ("seed", str(rng.choice([0, 1, 2147483647, rng.randint(0, 2147483647)]))),
                  ("n", str(rng.choice([1, 2, 10, 1000, rng.randint(1, 10000)]))),
                  ("unit", str(rng.randrange(n)))]
        if i % 4 == 0:
            fields.append(("check", check_field(rng, [("train", n), ("etrain", n), ("test", n)])))
        out.append(link("dropout", fields))
    return out


def scales(doc):
    """max_gap = max |mean_train - test| is a difference of values as large as the
    activations: its rounding is theirs (README: Cancellation)."""
    r = doc["result"]
    big = max(abs(v) for v in r["mean_train"]["values"] + r["test"]["values"])
    return {"result/max_gap": big}
