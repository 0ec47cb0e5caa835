#!/usr/bin/python3
# train_golden.py: the golden figures of tests/engine/train_golden_test.cpp, computed by
# PyTorch in float64 from the link alone: the training lab's run LINK below. Every generated
# point is removed (rm=0..399), so the training set is the four points added by hand (the
# batch of 4 is all of them, in whatever order), and every one of the 36 parameters is typed
# in at step 0 (edit=0,index,value in the Mlp's layout: per layer W [out, in] row-major, then
# b), so the seed's initial weights play no part. Features x, y, x², y², xy, sin x, sin y
# (computed here), one tanh layer of 3 units, 3 logits, softmax cross-entropy (batch mean),
# Adam (lr 0.05, β 0.9 / 0.999, ε 1e-8) with L2 0.01 added to the weights' gradients (not the
# biases'), 10 steps.
#
# Not run by CI. Debian: apt-get install --no-install-recommends python3-torch, then
#   /usr/bin/python3 tests/engine/golden/train_golden.py
import math

import torch

torch.set_default_dtype(torch.float64)

POINTS = [(1.5, -0.5, 0), (-1.0, 2.0, 1), (0.25, 0.75, 2), (-2.0, -1.5, 0)]
W1 = [[0.3, -0.2, 0.1, 0.05, -0.15, 0.4, -0.35],
      [-0.25, 0.35, -0.05, 0.1, 0.2, -0.3, 0.15],
      [0.15, 0.1, 0.2, -0.1, 0.05, 0.25, 0.3]]
B1 = [0.1, -0.1, 0.05]
W2 = [[0.5, -0.4, 0.3],
      [-0.2, 0.6, -0.5],
      [0.1, 0.2, -0.3]]
B2 = [0.0, 0.1, -0.1]
LR, RATE, STEPS = 0.05, 0.01, 10


def fmt(v):
    return f"{v:.9g}"


def link():
    values = [v for row in W1 for v in row] + B1 + [v for row in W2 for v in row] + B2
    edits = ";".join(f"0,{i},{v:g}" for i, v in enumerate(values))
    added = ";".join(f"{x:g},{y:g},{c}" for x, y, c in POINTS)
    return ("v1/train?data=blobs&classes=3&feat=x,y,x2,y2,xy,sinx,siny&layers=3&act=tanh&"
            f"reg=l2&rate={RATE:g}&opt=adam&lr={LR:g}&batch=4&steps={STEPS}&add={added}&rm=" +
            ",".join(str(i) for i in range(400)) + "&edit=" + edits)


def main():
    x = torch.tensor([[px, py, px * px, py * py, px * py, math.sin(px), math.sin(py)]
                      for px, py, _ in POINTS])
    y = torch.tensor([c for _, _, c in POINTS])
    w1, b1, w2, b2 = (torch.tensor(v, requires_grad=True) for v in (W1, B1, W2, B2))
    # PyTorch's Adam adds weight_decay * w to the gradient before the moments: the lab's L2.
    opt = torch.optim.Adam([{"params": [w1, w2], "weight_decay": RATE},
                            {"params": [b1, b2], "weight_decay": 0.0}],
                           lr=LR, betas=(0.9, 0.999), eps=1e-8)

    def loss_of():
        logits = torch.tanh(x @ w1.T + b1) @ w2.T + b2
        return torch.nn.functional.cross_entropy(logits, y)  # the penalty is not in the loss

    for step in range(1, STEPS + 1):
        opt.zero_grad()
        loss = loss_of()
        loss.backward()
        opt.step()
        print(f"step {step}: batch loss {fmt(loss.item())}")
    with torch.no_grad():
        train_loss = loss_of().item()
    print("link:", link())
    print("last batch loss:", fmt(loss.item()))
    print(f"train loss after {STEPS} steps:", fmt(train_loss))
    params = [v for t in (w1, b1, w2, b2) for v in t.detach().flatten().tolist()]
    print("parameters after the run (W1, b1, Wout, bout):")
    print(",\n".join(", ".join(fmt(v) for v in params[i:i + 7]) for i in range(0, 21, 7)))
    print(", ".join(fmt(v) for v in params[21:24]))
    print(",\n".join(", ".join(fmt(v) for v in params[i:i + 3]) for i in range(24, 33, 3)))
    print(", ".join(fmt(v) for v in params[33:36]))


if __name__ == "__main__":
    main()
