"""PyTorch peer for `npm run bench -- sae`: the same SAE training steps on CPU, on the same rows, timed like ours.

Usage: python3 sae_peer.py ARCH D_IN D_SAE BATCH K THREADS ROWS STEADY_INIT RUN_INIT WARMUP STEADY_STEPS RUN_STEPS
ROWS is a raw little-endian float32 file of rows [n, D_IN], served as consecutive batches (cycling); each *_INIT is
a raw float32 file with W_enc [D_IN, D_SAE], W_dec [D_SAE, D_IN], b_enc [D_SAE], b_dec [D_IN] one after another.
One step is the standard dense implementation as SAELens does it: encode, decode, loss (standard: MSE + 3 * sum f_i *
|W_dec_i|; topk: MSE over the k largest pre-activations), backward, global-norm clipping to 1, Adam.
Steady state: from STEADY_INIT, WARMUP untimed steps, then STEADY_STEPS timed. Whole run: from RUN_INIT, RUN_STEPS
steps timed from the first. Prints one JSON line: {"steady_tokens_per_s", "run_tokens_per_s", "torch"}.
"""
import json
import sys
import time

import numpy
import torch


def load_params(path, d_in, d_sae):
    flat = torch.from_numpy(numpy.fromfile(path, dtype="<f4"))
    sizes = [d_in * d_sae, d_sae * d_in, d_sae, d_in]
    if flat.numel() != sum(sizes):
        raise SystemExit(f"{path}: {flat.numel()} values, expected {sum(sizes)}")
    w_enc, w_dec, b_enc, b_dec = torch.split(flat, sizes)
    return {
        "W_enc": torch.nn.Parameter(w_enc.reshape(d_in, d_sae).clone()),
        "W_dec": torch.nn.Parameter(w_dec.reshape(d_sae, d_in).clone()),
        "b_enc": torch.nn.Parameter(b_enc.clone()),
        "b_dec": torch.nn.Parameter(b_dec.clone()),
    }


def main():
    arch = sys.argv[1]
    d_in, d_sae, batch, k, threads = map(int, sys.argv[2:7])
    rows_path, steady_init, run_init = sys.argv[7:10]
    warmup, steady_steps, run_steps = map(int, sys.argv[10:13])
    torch.set_num_threads(threads)
    rows = torch.from_numpy(numpy.fromfile(rows_path, dtype="<f4")).reshape(-1, d_in)
    cursor = 0

    def next_batch():
        nonlocal cursor
        take = torch.arange(cursor, cursor + batch) % rows.shape[0]
        cursor = (cursor + batch) % rows.shape[0]
        return rows[take]

    def trainer(params):
        opt = torch.optim.Adam(params.values(), lr=1e-3)

        def step():
            x = next_batch()
            pre = (x - params["b_dec"]) @ params["W_enc"] + params["b_enc"]
            if arch == "topk":
                top = pre.topk(k, dim=-1)
                f = torch.zeros_like(pre).scatter(-1, top.indices, torch.relu(top.values))
            else:
                f = torch.relu(pre)
            x_hat = f @ params["W_dec"] + params["b_dec"]
            loss = (x_hat - x).pow(2).sum(-1).mean()
            if arch != "topk":
                loss = loss + 3 * (f * params["W_dec"].norm(dim=1)).sum(-1).mean()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
            opt.step()

        return step

    step = trainer(load_params(steady_init, d_in, d_sae))
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steady_steps):
        step()
    steady = (time.perf_counter() - start) / steady_steps
    cursor = 0
    step = trainer(load_params(run_init, d_in, d_sae))
    start = time.perf_counter()
    for _ in range(run_steps):
        step()
    run = (time.perf_counter() - start) / run_steps
    print(
        json.dumps(
            {"steady_tokens_per_s": batch / steady, "run_tokens_per_s": batch / run, "torch": torch.__version__}
        )
    )


if __name__ == "__main__":
    main()
