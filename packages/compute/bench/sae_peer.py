"""PyTorch peer for `npm run bench -- sae`: the same SAE training step on CPU, timed like ours.

Usage: python3 sae_peer.py ARCH D_IN D_SAE BATCH STEPS THREADS [K]
One step = encode, decode, loss (standard: MSE + l1 * sum f_i * |W_dec_i|; topk: MSE), backward, global-norm
clipping to 1, Adam. One warm-up step, then STEPS timed steps. Prints one JSON line:
{"tokens_per_s", "seconds_per_step", "torch"}.
"""
import json
import sys
import time

import torch


def main():
    arch, d_in, d_sae, batch, steps, threads = sys.argv[1], *map(int, sys.argv[2:7])
    k = int(sys.argv[7]) if len(sys.argv) > 7 else 32
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    w_dec = torch.randn(d_sae, d_in)
    w_dec = w_dec / w_dec.norm(dim=1, keepdim=True) * (1.0 if arch == "topk" else 0.1)
    params = {
        "W_enc": torch.nn.Parameter(w_dec.t().clone()),
        "W_dec": torch.nn.Parameter(w_dec),
        "b_enc": torch.nn.Parameter(torch.zeros(d_sae)),
        "b_dec": torch.nn.Parameter(torch.zeros(d_in)),
    }
    opt = torch.optim.Adam(params.values(), lr=1e-3)
    x = torch.randn(batch, d_in)

    def step():
        pre = (x - params["b_dec"]) @ params["W_enc"] + params["b_enc"]
        if arch == "topk":
            top = pre.topk(k, dim=-1)
            f = torch.zeros_like(pre).scatter(-1, top.indices, torch.relu(top.values))
        else:
            f = torch.relu(pre)
        x_hat = f @ params["W_dec"] + params["b_dec"]
        loss = (x_hat - x).pow(2).sum(-1).mean()
        if arch != "topk":
            loss = loss + (f * params["W_dec"].norm(dim=1)).sum(-1).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
        opt.step()

    step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = (time.perf_counter() - start) / steps
    print(json.dumps({"tokens_per_s": batch / seconds, "seconds_per_step": seconds, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
