#!/usr/bin/python3
"""PyTorch half of the per-op microbenchmarks (same ops and shapes as dev.alignloop.diffusion.bench.OpBench).

usage: /usr/bin/python3 bench/op_bench.py OUT.json [threads]"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def timed(k, op):
    for _ in range(k):
        op()
    rounds = []
    for _ in range(15):
        t0 = time.perf_counter()
        for _ in range(k):
            op()
        rounds.append((time.perf_counter() - t0) * 1e6 / k)
    return sorted(rounds)[len(rounds) // 2]


def classic_attention(q, k, v):
    # diffusers AttnProcessor on torch < 2.0: baddbmm(beta=0, alpha=scale) -> softmax -> bmm
    scale = q.shape[-1] ** -0.5
    empty = torch.empty(q.shape[0], q.shape[1], k.shape[1], dtype=q.dtype)
    probs = torch.baddbmm(empty, q, k.transpose(-1, -2), beta=0, alpha=scale).softmax(dim=-1)
    return torch.bmm(probs, v)


def main():
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    g = torch.Generator().manual_seed(0)
    r = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    one = r(1)
    x64, x32 = r(16, 64, 16, 16), r(16, 32, 32, 32)
    w64, w32 = r(64, 64, 3, 3) * 0.05, r(32, 32, 3, 3) * 0.05
    b64, b32 = r(64), r(32)
    gw, gb = torch.ones(64), torch.zeros(64)
    q3, k3, v3 = r(64, 256, 16), r(64, 256, 16), r(64, 256, 16)
    tokens, wl = r(16, 256, 64), r(64, 64) * 0.1
    us = {}
    with torch.no_grad():
        us['tiny add [1] (per-call overhead)'] = timed(2000, lambda: one + one)
        us['conv3x3 [16,64,16,16] 64->64'] = timed(10, lambda: F.conv2d(x64, w64, b64, 1, 1))
        us['conv3x3 [16,32,32,32] 32->32'] = timed(10, lambda: F.conv2d(x32, w32, b32, 1, 1))
        us['group_norm [16,64,16,16] G=16'] = timed(20, lambda: F.group_norm(x64, 16, gw, gb, 1e-5))
        chw, g256 = b64.reshape(1, 64, 1, 1), x64.reshape(256, 1024)
        us['  layer_norm [256,1024] (inside group_norm)'] = timed(20, lambda: F.layer_norm(g256, (1024,), None, None, 1e-5))
        us['  mul [16,64,16,16] * [1,64,1,1]'] = timed(20, lambda: x64 * chw)
        us['silu [16,64,16,16]'] = timed(20, lambda: F.silu(x64))
        us['attention [16,4,256,16] (4-D matmul)'] = float('nan')
        us['attention [64,256,16] (3-D bmm)'] = timed(5, lambda: classic_attention(q3, k3, v3))
        us['linear [16,256,64] x 64->64 + bias'] = timed(20, lambda: F.linear(tokens, wl, b64))
    for name, t in us.items():
        print(f'pt   {name:40} {t:10.1f} us')
    with open(sys.argv[1], 'w') as f:
        json.dump({'side': 'pytorch', 'threads': torch.get_num_threads(), 'us_per_call': us}, f, indent=2)


if __name__ == '__main__':
    main()
