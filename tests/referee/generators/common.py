"""Helpers for the referee's state generators (one module per lab: <lab>.py with
generate(rng, count) -> list of links). Values are short decimals, so links stay short
and every value is exactly what the link says."""


def num(v):
    """A number as the link writes it (any Python float repr is valid link syntax)."""
    if isinstance(v, int) or float(v).is_integer():
        return str(int(v))
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def value(rng, scale=1.0, zeros=0.15):
    """One value: zero sometimes, otherwise a signed decimal of 1-3 digits times scale,
    now and then a whole number or a tiny or large one."""
    r = rng.random()
    if r < zeros:
        return 0.0
    sign = -1 if rng.random() < 0.5 else 1
    r = rng.random()
    if r < 0.15:
        return float(sign * rng.randint(1, 5))
    if r < 0.2:
        return sign * round(rng.uniform(0.001, 0.01), 4)
    return sign * round(rng.uniform(0.01, 2.0) * scale, 2 if scale >= 1 else 3)


def values(rng, n, scale=1.0, zeros=0.15):
    return [value(rng, scale, zeros) for _ in range(n)]


def tensor(shape, vals):
    """'2x3:1,-0.5,...' (shape sizes joined by x, then the values)."""
    return "x".join(str(s) for s in shape) + ":" + ",".join(num(v) for v in vals)


def link(lab, fields):
    """'v1/lab?k=v&...' from (key, value) pairs."""
    return "v1/%s?%s" % (lab, "&".join("%s=%s" % (k, v) for k, v in fields))


def check_field(rng, steps):
    """A random `check` field: some steps (id, count) with some values entered, others
    left out or '_'."""
    parts = []
    for sid, count in steps:
        if rng.random() < 0.5:
            continue
        k = rng.randint(1, count)
        parts.append(sid + ":" + ",".join(
            "_" if rng.random() < 0.2 else num(value(rng)) for _ in range(k)))
    return ";".join(parts)
