"""PyTorch peer for `npm run bench -- lm`: a plain GPT-2 forward pass on CPU, timed like ours.

Usage: python3 lm_peer.py MODEL_DIR BATCH CONTEXT RUNS THREADS
Prints one JSON line: {"tokens_per_s", "median_s", "torch", "matmul_gflops"}; the last is a 2048×256·256×1024 product on
the same threads, which tells an optimised BLAS (tens of GFLOP/s) from the reference one (a few).
"""
import json
import math
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    dtypes = {"F32": np.float32, "F16": np.float16}
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=dtypes[entry["dtype"]]).reshape(entry["shape"])
        out[name] = torch.from_numpy(array.astype(np.float32))
    return out


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def forward(w, cfg, ids):
    prefix = "transformer." if "transformer.wte.weight" in w else ""
    batch, seq = ids.shape
    n_head = cfg["n_head"]
    d = cfg["n_embd"]
    hd = d // n_head
    x = w[prefix + "wte.weight"][ids] + w[prefix + "wpe.weight"][:seq]
    causal = torch.tril(torch.ones(seq, seq, dtype=torch.bool))
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    for layer in range(cfg["n_layer"]):
        p = f"{prefix}h.{layer}."
        h = F.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = torch.addmm(w[p + "attn.c_attn.bias"], h.view(-1, d), w[p + "attn.c_attn.weight"])
        q, k, v = qkv.view(batch, seq, 3, n_head, hd).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd)
        scores = scores.masked_fill(~causal, torch.finfo(scores.dtype).min)
        ctx = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(-1, d)
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], ctx, w[p + "attn.c_proj.weight"]).view(batch, seq, d)
        h = F.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = gelu_new(torch.addmm(w[p + "mlp.c_fc.bias"], h.view(-1, d), w[p + "mlp.c_fc.weight"]))
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], m, w[p + "mlp.c_proj.weight"]).view(batch, seq, d)
    x = F.layer_norm(x, (d,), w[prefix + "ln_f.weight"], w[prefix + "ln_f.bias"], eps)
    return torch.matmul(x, w[prefix + "wte.weight"].t())


def main():
    model_dir, batch, context, runs, threads = sys.argv[1], *map(int, sys.argv[2:6])
    torch.set_num_threads(threads)
    with open(f"{model_dir}/config.json") as f:
        cfg = json.load(f)
    weights = read_safetensors(f"{model_dir}/model.safetensors")
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(0, cfg["vocab_size"], (batch, context), generator=generator)
    times = []
    with torch.inference_mode():
        forward(weights, cfg, ids)
        for _ in range(runs):
            start = time.perf_counter()
            forward(weights, cfg, ids)
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    a = torch.randn(2048, 256, generator=generator)
    b = torch.randn(256, 1024, generator=generator)
    products = []
    for _ in range(runs):
        start = time.perf_counter()
        torch.matmul(a, b)
        products.append(time.perf_counter() - start)
    gflops = 2 * 2048 * 256 * 1024 / statistics.median(products) / 1e9
    print(
        json.dumps(
            {
                "tokens_per_s": batch * context / median,
                "median_s": median,
                "torch": torch.__version__,
                "matmul_gflops": gflops,
            }
        )
    )


main()
