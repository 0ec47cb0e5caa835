// batchnorm_export.cpp: the batch-normalization lab as a PyTorch or NumPy script
// (export.h). The steps as the lab shows them (mu, var, sigma, xhat, y, the running
// statistics), then PyTorch's own F.batch_norm / nn.BatchNorm1d for the same numbers.
#include <string>

#include "labs/batchnorm_lab.h"
#include "labs/export.h"
#include "labs/export_text.h"

namespace nnplay {

bool ExportBatchNormLab(const Link& link, ExportLanguage language, std::string* script,
                        LinkError* error) {
  BatchNormLabState s;
  if (!DecodeBatchNormLab(link, &s, error)) return false;
  const BatchNormLabResult r = EvaluateBatchNormLab(s);
  const bool torch = language == ExportLanguage::kTorch;
  const int c = s.x.dim(0), n = s.x.dim(1);
  bool zero_sigma = false, zero_infer_sigma = false;
  for (int j = 0; j < c; ++j) {
    zero_sigma |= r.sigma[static_cast<size_t>(j)] == 0;
    zero_infer_sigma |= r.infer_sigma[static_cast<size_t>(j)] == 0;
  }
  // PyTorch's batch norm in training needs more than one example per feature.
  const bool torch_train = torch && n > 1 && !zero_sigma;
  const bool torch_infer = torch && !zero_infer_sigma;
  auto pick = [&](const char* t, const char* np) { return std::string(torch ? t : np); };
  auto vec = [&](const Tensor& t) {
    return pick("torch.tensor(", "np.array(") + PyList(t) +
           pick(", dtype=torch.float64)", ", dtype=np.float64)");
  };

  std::string py = ScriptHeader("batch-normalization lab: y = gamma * (x - mu)/sigma + beta",
                                EncodeBatchNormLab(s), torch);
  py += torch ? "import torch\nimport torch.nn.functional as F\n\n" : "import numpy as np\n\n";
  py += "# The batch: one row per feature (" + std::to_string(c) + " feature(s), " +
        std::to_string(n) + " example(s) each), as the lab shows it.\n";
  py += "x = " + vec(s.x) + "\n";
  py += "gamma = " + vec(s.gamma) + "  # scale, one per feature\n";
  py += "beta = " + vec(s.beta) + "  # shift, one per feature\n";
  py += "eps = " + PyNum(s.eps) + "  # inside the square root: sigma = sqrt(var + eps)\n";
  py += "momentum = " + PyNum(s.momentum) +
        "  # running <- (1 - momentum) running + momentum batch\n";
  py += "running_mean = " + vec(s.running_mean) + "  # before this step\n";
  py += "running_var = " + vec(s.running_var) + "\n";
  py += "col = lambda v: v[:, None]  # a per-feature vector as a column, along the batch\n\n";

  py += "# ---- Training: the batch's own statistics, feature by feature (along each row).\n";
  py += "mu = x.mean(" + pick("dim=1", "axis=1") + ")\n";
  py += pick("var = x.var(dim=1, unbiased=False)", "var = x.var(axis=1)") +
        "  # the biased variance (divide by N), as the course does\n";
  py += pick("sigma = torch.sqrt(var + eps)\n", "sigma = np.sqrt(var + eps)\n");
  if (zero_sigma) {
    py +=
        "# sigma = 0 for a constant feature with eps = 0: xhat = 0/0 is undefined; the lab\n"
        "# takes xhat = 0, y = beta (what any eps > 0 gives).\n";
    py += pick(
        "xhat = torch.where(col(sigma) > 0, (x - col(mu)) / col(sigma), torch.zeros_like(x))\n",
        "with np.errstate(invalid='ignore', divide='ignore'):\n"
        "    xhat = np.where(col(sigma) > 0, (x - col(mu)) / col(sigma), 0.0)\n");
  } else {
    py += "xhat = (x - col(mu)) / col(sigma)\n";
  }
  py += "y = col(gamma) * xhat + col(beta)\n";
  py +=
      "# One training step moves the running statistics. (The lab uses the biased variance\n"
      "# here too; nn.BatchNorm1d would use the unbiased one, dividing by N - 1.)\n";
  py += "new_running_mean = (1 - momentum) * running_mean + momentum * mu\n";
  py += "new_running_var = (1 - momentum) * running_var + momentum * var\n";
  if (torch_train) {
    py += "# PyTorch's own batch norm (it takes examples as rows: x.T), and its running mean.\n";
    py += "bn = torch.nn.BatchNorm1d(" + std::to_string(c) +
          ", eps=eps, momentum=momentum, dtype=torch.float64)\n";
    py +=
        "with torch.no_grad():\n"
        "    bn.weight.copy_(gamma), bn.bias.copy_(beta)\n"
        "    bn.running_mean.copy_(running_mean), bn.running_var.copy_(running_var)\n";
    py += "y_torch = bn.train()(x.T).T.detach()\n";
    py += "print('nn.BatchNorm1d gives the same y:', torch.allclose(y, y_torch))\n";
  }
  py +=
      "print('training: mu =', mu.tolist(), ' var =', var.tolist(), ' sigma =', sigma.tolist())\n";
  py += "print('xhat =', xhat.tolist())\nprint('y =', y.tolist())\n";
  py +=
      "print('after this step: running mean =', new_running_mean.tolist(), ' running var =', "
      "new_running_var.tolist())\n\n";

  py += "# ---- Inference: the running statistics (before this step), no batch coupling.\n";
  py += pick("sigma_inf = torch.sqrt(running_var + eps)\n",
             "sigma_inf = np.sqrt(running_var + eps)\n");
  if (zero_infer_sigma) {
    py +=
        "# sigma = 0 (running variance 0, eps = 0): (x - mu)/0 is undefined (+-inf) wherever\n"
        "# x differs from the running mean; x = mu gives 0/0, which the lab takes as 0.\n";
    py += pick(
        "xhat_inf = (x - col(running_mean)) / col(sigma_inf)\n"
        "xhat_inf = torch.where(x == col(running_mean), torch.zeros_like(x), xhat_inf)\n",
        "with np.errstate(invalid='ignore', divide='ignore'):\n"
        "    xhat_inf = (x - col(running_mean)) / col(sigma_inf)\n"
        "xhat_inf = np.where(x == col(running_mean), 0.0, xhat_inf)\n");
    py += torch ? "y_inf = col(gamma) * xhat_inf + col(beta)\n"
                : "with np.errstate(invalid='ignore'):\n"
                  "    y_inf = col(gamma) * xhat_inf + col(beta)\n";
  } else {
    py += "xhat_inf = (x - col(running_mean)) / col(sigma_inf)\n";
    py += "y_inf = col(gamma) * xhat_inf + col(beta)\n";
  }
  if (torch_infer) {
    py += "# PyTorch's own, in inference mode (training=False uses the running statistics).\n";
    py +=
        "y_inf_torch = F.batch_norm(x.T, running_mean, running_var, gamma, beta, "
        "training=False, eps=eps).T\n";
    py += "print('F.batch_norm gives the same y:', torch.allclose(y_inf, y_inf_torch))\n";
  }
  py += "print('inference: sigma =', sigma_inf.tolist())\n";
  py += "print('xhat =', xhat_inf.tolist())\nprint('y =', y_inf.tolist())\n\n";

  py += "results = {\n";
  py += "    'train/mean': mu, 'train/var': var, 'train/sigma': sigma, 'train/xhat': xhat,\n";
  py += std::string("    'train/y': ") + (torch_train ? "y_torch" : "y") + ",\n";
  py += std::string("    'train/running_mean': ") +
        (torch_train ? "bn.running_mean" : "new_running_mean") +
        ", 'train/running_var': new_running_var,\n";
  py += "    'infer/sigma': sigma_inf, 'infer/xhat': xhat_inf,\n";
  py += std::string("    'infer/y': ") + (torch_infer ? "y_inf_torch" : "y_inf") + ",\n";
  py += "}\n";
  *script = std::move(py);
  return true;
}

}  // namespace nnplay
