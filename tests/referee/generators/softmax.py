"""Softmax lab states: 1-10 logits (negative, zero, ties, large enough to overflow the
naive form), temperatures 0.01-100, some with the learner's own values in `check`."""
from common import check_field, link, num, tensor, values


def generate(rng, count):
    out = []
    for i in range(count):
        n = rng.randint(1, 10)
        scale = rng.choice([1, 1, 5, 20, 500])  # 500: exp(x) overflows float32
        x = values(rng, n, scale)
        if n > 1 and rng.random() < 0.15:
            x[rng.randrange(n)] = max(x)  # a tie at the max
        t = rng.choice([1, 1, 1, 0.01, 0.1, 0.5, 2, 10, 100, round(rng.uniform(0.01, 100), 2)])
        check = check_field(rng, [("exps", n), ("sum", 1), ("p", n)]) if i % 3 == 0 else ""
        out.append(link("softmax", [("x", tensor([n], x)), ("t", num(t)), ("check", check)]))
    return out
