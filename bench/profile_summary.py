#!/usr/bin/python3
"""Compares two libtorch profiler chrome traces (DJL's JniUtils.startProfile/stopProfile and
torch.autograd.profiler's export_chrome_trace) of the same benchmark case.

For each side: wall span of the trace, time inside top-level aten ops (the rest is framework overhead:
JNI + Java on the DJL side, the Python interpreter on the other), number of top-level op calls, and the
self time (own duration minus nested ops) per op and per category, per timed iteration.

usage: bench/profile_summary.py DJL_TRACE PT_TRACE --iters N [--top 25]
"""
import argparse
import collections
import json

CATEGORIES = [
    ('conv', ('conv', 'mkldnn_convolution', 'slow_conv', 'thnn_conv', 'im2col', 'col2im')),
    ('norm', ('norm', 'batch_norm')),
    ('matmul/linear', ('mm', 'matmul', 'linear', 'addmm', 'bmm', 'baddbmm')),
    ('softmax', ('softmax',)),
    ('activation', ('silu', 'sigmoid', 'gelu', 'tanh')),
    ('copy/layout', ('copy', 'contiguous', 'cat', 'clone', 'permute', 'transpose', 'reshape', 'view',
                     'expand', 'as_strided', 'slice', 'split', 'chunk', 'select', 'unsqueeze', 'squeeze', 'repeat',
                     'to', 'index', 'pad', 'upsample', 'interpolate', 'stack', 't')),
    ('alloc', ('empty', 'zeros', 'ones', 'full', 'fill', 'zero_', 'resize', 'detach', 'set_', 'requires_grad')),
    ('elementwise', ('add', 'sub', 'mul', 'div', 'pow', 'sqrt', 'exp', 'sin', 'cos', 'neg', 'mean', 'sum',
                     'square', 'clamp', 'clip', 'lerp', 'addcmul', 'addcdiv', 'log', 'where', 'gt', 'lt', 'rsub')),
]


def category(name):
    n = name.lower().replace('aten::', '')
    if 'backward' in n:
        return 'autograd backward fn'
    for cat, keys in CATEGORIES:
        for k in keys:
            if n == k or n.startswith(k + '_') or n.startswith('_' + k) or (len(k) > 3 and k in n):
                return cat
    return 'other'


def analyse(path):
    with open(path) as f:
        events = [e for e in json.load(f) if e.get('ph') == 'X' and 'dur' in e]
    by_tid = collections.defaultdict(list)
    for e in events:
        by_tid[e.get('tid')].append(e)
    self_time = collections.Counter()
    calls = collections.Counter()
    top_time = 0.0
    top_calls = 0
    start, end = float('inf'), 0.0
    for evs in by_tid.values():
        evs.sort(key=lambda e: (float(e['ts']), -float(e['dur'])))
        stack = []  # [end, event, child time]
        for e in evs:
            ts, dur = float(e['ts']), float(e['dur'])
            start, end = min(start, ts), max(end, ts + dur)
            while stack and ts >= stack[-1][0] - 1e-6:
                done = stack.pop()
                self_time[done[1]['name']] += float(done[1]['dur']) - done[2]
            if stack:
                stack[-1][2] += dur
            else:
                top_time += dur
                top_calls += 1
            calls[e['name']] += 1
            stack.append([ts + dur, e, 0.0])
        while stack:
            done = stack.pop()
            self_time[done[1]['name']] += float(done[1]['dur']) - done[2]
    return {'wall_us': end - start, 'top_us': top_time, 'top_calls': top_calls, 'self': self_time, 'calls': calls}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('djl')
    p.add_argument('pytorch')
    p.add_argument('--iters', type=int, required=True, help='timed iterations in each trace')
    p.add_argument('--top', type=int, default=25)
    a = p.parse_args()
    d, t = analyse(a.djl), analyse(a.pytorch)
    n = a.iters
    ms = lambda us: us / 1000.0 / n  # noqa: E731
    print(f'per iteration                  {"DJL":>10} {"PyTorch":>10}')
    print(f'wall span of the trace, ms     {ms(d["wall_us"]):10.1f} {ms(t["wall_us"]):10.1f}')
    print(f'inside top-level aten ops, ms  {ms(d["top_us"]):10.1f} {ms(t["top_us"]):10.1f}')
    print(f'outside ops (framework), ms    {ms(d["wall_us"] - d["top_us"]):10.1f} {ms(t["wall_us"] - t["top_us"]):10.1f}')
    print(f'top-level op calls             {d["top_calls"] / n:10.0f} {t["top_calls"] / n:10.0f}')
    print()
    cats = collections.defaultdict(lambda: [0.0, 0.0])
    for i, side in enumerate((d, t)):
        for name, us in side['self'].items():
            cats[category(name)][i] += us
    print(f'self time by category, ms      {"DJL":>10} {"PyTorch":>10} {"ratio":>7}')
    for cat, (x, y) in sorted(cats.items(), key=lambda kv: -max(kv[1])):
        print(f'  {cat:28} {ms(x):10.1f} {ms(y):10.1f} {x / y if y else float("inf"):7.2f}')
    print()
    print(f'top ops by self time, ms       {"DJL":>10} {"PyTorch":>10} {"calls DJL":>10} {"calls PT":>9}')
    names = set(d['self']) | set(t['self'])
    for name in sorted(names, key=lambda k: -max(d['self'][k], t['self'][k]))[:a.top]:
        print(f'  {name[:28]:28} {ms(d["self"][name]):10.2f} {ms(t["self"][name]):10.2f} '
              f'{d["calls"][name] / n:10.0f} {t["calls"][name] / n:9.0f}')


if __name__ == '__main__':
    main()
