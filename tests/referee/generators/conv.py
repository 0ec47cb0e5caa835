"""Convolution lab states: 1-4 channels, inputs 1x1 to 9x9, filters 1x1 to 5x5 (non-square
too), 1-8 filters, groups that divide both counts (depthwise included), valid / same /
explicit padding (one number or four sides), per-axis stride and dilation, convolution and
transposed (with output padding), ReLU, and every pooling: max and average windows up to
7 with per-axis stride, padding up to half the window, dilation (max), ceil mode and
count_include_pad (average), adaptive and global pooling. Shapes whose output or pooling
does not fit are kept: the lab explains, and the script must say the same."""
from common import link, tensor, values


def pair(rng, lo, hi, same=0.6):
    a = rng.randint(lo, hi)
    if rng.random() < same:
        return a, a
    return a, rng.randint(lo, hi)


def text(a, b):
    return str(a) if a == b else "%dx%d" % (a, b)


def generate(rng, count):
    out = []
    for _ in range(count):
        groups = rng.choice([1, 1, 1, 2, 3, 4])
        c = groups * rng.randint(1, max(1, 4 // groups))
        o = groups * rng.randint(1, max(1, 8 // groups))
        h, w = rng.randint(1, 9), rng.randint(1, 9)
        kh, kw = pair(rng, 1, 5, 0.5)
        fields = [("in", tensor([c, h, w], values(rng, c * h * w))),
                  ("f", tensor([o, c // groups, kh, kw], values(rng, o * (c // groups) * kh * kw)))]
        pad = rng.choice(["valid", "same", "explicit", "explicit"])
        if pad == "explicit":
            sides = [rng.randint(0, 4) for _ in range(4)] if rng.random() < 0.6 else [rng.randint(0, 4)] * 4
            pad = str(sides[0]) if len(set(sides)) == 1 else ",".join(map(str, sides))
        fields.append(("pad", pad))
        sh, sw = pair(rng, 1, 4)
        dh, dw = pair(rng, 1, 3, 0.7) if rng.random() < 0.4 else (1, 1)
        fields += [("stride", text(sh, sw)), ("dil", text(dh, dw))]
        if groups > 1:
            fields.append(("groups", str(groups)))
        if rng.random() < 0.35:
            fields.append(("mode", "transposed"))
            if pad != "same" and rng.random() < 0.6:
                ah = rng.randint(0, max(sh, dh) - 1)
                aw = rng.randint(0, max(sw, dw) - 1)
                if ah or aw:
                    fields.append(("outpad", text(ah, aw)))
        if rng.random() < 0.4:
            fields.append(("act", "relu"))
        kind = rng.choice(["none", "max", "avg", "max", "avg", "amax", "aavg", "gmax", "gavg"])
        if kind in ("max", "avg"):
            pk = pair(rng, 1, 7, 0.6)
            ps = pair(rng, 1, 7, 0.6) if rng.random() < 0.5 else pk
            fields.append(("pool", "%s:%s:%s" % (kind, text(*pk), text(*ps))))
            if rng.random() < 0.4:
                pp = (rng.randint(0, pk[0] // 2), rng.randint(0, pk[1] // 2))
                if pp != (0, 0):
                    fields.append(("ppad", text(*pp)))
            if kind == "max" and rng.random() < 0.3:
                pd = pair(rng, 1, 3)
                if pd != (1, 1):
                    fields.append(("pdil", text(*pd)))
            if rng.random() < 0.4:
                fields.append(("ceil", "1"))
            if kind == "avg" and rng.random() < 0.4:
                fields.append(("cip", "0"))
        elif kind in ("amax", "aavg"):
            fields.append(("pool", "%s:%dx%d" % (kind, rng.randint(1, 6), rng.randint(1, 6))))
        elif kind != "none":
            fields.append(("pool", kind))
        out.append(link("conv", fields))
    return out
