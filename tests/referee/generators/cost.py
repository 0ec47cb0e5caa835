"""Cost calculator states: single, bottleneck and Inception layers on inputs from 1x1 to
256x256 with 1-1024 channels, kernels 1-11, strides 1-4, same and valid (kernels that do
not fit included), every set of Inception branches (none too), reductions on and off,
with and without biases."""
from common import link


def generate(rng, count):
    out = []
    for i in range(count):
        side = lambda: rng.choice([1, 3, 7, 14, 28, 32, 224, 256, rng.randint(1, 256)])
        size = lambda lo=1: rng.choice([lo, 16, 32, 64, 192, 1024, rng.randint(lo, 1024)])
        br = "".join(b for b in "135p" if rng.random() < 0.7) or "none"
        fields = [("mode", rng.choice(["single", "bneck", "incep"])), ("h", side()),
                  ("w", side()), ("c", size()), ("k", rng.randint(1, 11)), ("n", size()),
                  ("r", size()), ("pad", rng.choice(["same", "valid"])),
                  ("stride", rng.randint(1, 4)), ("br", br), ("n1", size()),
                  ("r3", size(0) if rng.random() < 0.7 else 0), ("n3", size()),
                  ("r5", size(0) if rng.random() < 0.7 else 0), ("n5", size()),
                  ("np", size()), ("bias", rng.choice(["0", "1"]))]
        out.append(link("cost", [(k, str(v)) for k, v in fields]))
    return out
