#!/usr/bin/python3
# adadelta_golden.py: the golden figures of tests/engine/network_test.cpp's
# AdadeltaMatchesTorchOptim, computed by PyTorch in float64: a dense layer 3 -> 2 with
# softmax cross-entropy (the batch mean), 5 steps on one batch of 4, torch.optim.Adadelta
# (lr 1, rho 0.95, eps 1e-6: ConvNetJS's defaults, which use no learning rate). ConvNetJS's
# l2_decay (0.02 here) is applied to the weights only and divided by the batch size, so the
# weights' group has weight_decay 0.02 / 4 and the biases' none.
#
# Not run by CI. Debian: apt-get install --no-install-recommends python3-torch, then
#   /usr/bin/python3 tests/engine/golden/adadelta_golden.py
import torch

torch.set_default_dtype(torch.float64)

X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-2.0, 1.0, 0.0], [0.0, -0.75, 1.25]]
Y = [0, 1, 1, 0]
W = [[0.3, -0.2, 0.1], [-0.4, 0.25, 0.5]]
B = [0.05, -0.1]
L2_DECAY, BATCH, STEPS = 0.02, 4, 5


def main():
    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(W))
        layer.bias.copy_(torch.tensor(B))
    opt = torch.optim.Adadelta([{"params": [layer.weight], "weight_decay": L2_DECAY / BATCH},
                                {"params": [layer.bias], "weight_decay": 0.0}],
                               lr=1.0, rho=0.95, eps=1e-6)
    x, y = torch.tensor(X), torch.tensor(Y)
    for step in range(1, STEPS + 1):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(layer(x), y)
        loss.backward()
        opt.step()
        params = layer.weight.detach().flatten().tolist() + layer.bias.detach().tolist()
        print(f"step {step}: loss {loss.item():.9g}; W, b: " +
              ", ".join(f"{v:.9g}" for v in params))


if __name__ == "__main__":
    main()
