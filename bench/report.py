#!/usr/bin/python3
"""Reads the JSON results of bench/run.sh, prints the side-by-side table and (with --doc) writes
docs/benchmarks.md: machine facts, the command, one table per model, sanity diffs, then the hand-written
findings (bench/findings.md) verbatim."""
import argparse
import datetime
import json
import os
import platform
import subprocess

CASES = {
    'fwd': 'UNet forward (no grad), batch 2B',
    'fwdbwd': 'UNet forward + MSE + backward, batch 2B',
    'ddim': '20-step DDIM sampling, CFG 7.5 (2B UNet rows/step), B images',
    'dpo': 'Diffusion-DPO step: policy fwd+bwd 2B, reference fwd 2B, AdamW',
}
MODELS = {
    'pixel': 'pixel-space 32×32 shapes UNet (in 3, blocks [32, 64, 64], DownBlock2D + 2× CrossAttnDownBlock2D, '
             'layers 1, cross-attn dim 64, 4 heads, 16 groups), B = 8 pairs, text [B, 16, 64]',
    'sd15': 'SD1.5-like tiny latent UNet of parity/unet-sd15-tiny (in 4, 16×16 latents, blocks [32, 64], '
            'CrossAttnDownBlock2D + DownBlock2D, 8 heads, cross-attn dim 32), B = 8 pairs, text [B, 16, 32]',
}



KEEP_MARKER = '<!-- issue7: hand-run service benchmarks (bench/issue7), kept by bench/report.py -->'

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception as e:  # noqa: BLE001 - facts are best effort
        return f'n/a ({e})'


def machine_facts(java, java_opts, threads):
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    flags = sh("grep -m1 flags /proc/cpuinfo").split()
    isa = ' '.join(f for f in ('avx2', 'avx512f', 'amx_tile') if f in flags)
    torch_info = sh("/usr/bin/python3 -c \"import torch; c = torch.__config__.show(); "
                    "print(torch.__version__ + ',', [l.strip(' -') for l in c.splitlines() if 'CPU capability' in l][0])\"")
    blas = sh('readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3')
    mem = sh("grep MemTotal /proc/meminfo | awk '{printf \"%.1f GiB\", $2 / 1048576}'")
    return [
        ('CPU', f'{cpu} ({isa}); `nproc` = {sh("nproc")}; RAM {mem}'),
        ('OS', f'{platform.platform()}'),
        ('Java', f'{java}; JVM options `{java_opts}`'),
        ('DJL side', 'DJL 0.36.0 PyTorch engine, libtorch 2.7.1 CPU (`pytorch-native-cpu`, MKL + oneDNN statically '
                     'linked, AVX-512 kernels)'),
        ('PyTorch side', f'Debian python3-torch {torch_info}; BLAS: {blas} (libopenblas0-pthread); '
                         'attention via diffusers\' classic AttnProcessor (torch 1.13 has no SDPA)'),
        ('Threads', f'{threads} intra-op on both sides (DJL `ai.djl.pytorch.num_threads`, '
                    '`torch.set_num_threads`), 1 inter-op; OMP/OpenBLAS/MKL_NUM_THREADS = the same; '
                    f'OMP_WAIT_POLICY = {os.environ.get("OMP_WAIT_POLICY", "unset (libgomp default: spin, then sleep)")}'),
    ]


def fmt_ms(v):
    return f'{v:,.1f}' if v < 100 else f'{v:,.0f}'


def cpu_ratio(d, t):
    if 'cpu_median_ms' not in d or 'cpu_median_ms' not in t:
        return 'n/a'
    return f'{d["cpu_median_ms"] / t["cpu_median_ms"]:.2f}×'


def load(work, model, side, case):
    p = os.path.join(work, model, f'{side}-{case}.json')
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--work', required=True)
    p.add_argument('--models', default='pixel sd15')
    p.add_argument('--cases', default='fwd fwdbwd ddim dpo')
    p.add_argument('--command', default='bench/run.sh')
    p.add_argument('--threads', default='2')
    p.add_argument('--load-before', default='?')
    p.add_argument('--load-after', default='?')
    p.add_argument('--elapsed', default='?')
    p.add_argument('--java', default='?')
    p.add_argument('--java-opts', default='?')
    p.add_argument('--doc')
    p.add_argument('--findings')
    a = p.parse_args()

    md = []
    console = []
    sanity_rows = []
    for model in a.models.split():
        md.append(f'### {model}: {MODELS.get(model, model)}\n')
        md.append('| case | DJL median ms | PyTorch median ms | time ratio DJL/PT | ratio of fastest iterations | '
                  'CPU-time ratio | DJL peak RSS MiB | '
                  'PyTorch peak RSS MiB | RSS ratio | DJL / PT RSS before the case MiB | '
                  'peak − before: DJL / PT MiB (ratio) | warm-up + timed iterations |')
        md.append('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
        console.append(f'{model}:')
        console.append(f'  {"case":7} {"DJL ms":>9} {"PT ms":>9} {"ratio":>6} {"DJL MiB":>8} {"PT MiB":>7} {"ratio":>6}')
        for case in a.cases.split():
            d, t = load(a.work, model, 'djl', case), load(a.work, model, 'pytorch', case)
            if d is None or t is None:
                md.append(f'| {case} | missing | | | | | | | | | | |')
                continue
            tr = d['median_ms'] / t['median_ms']
            dm, tm = d['vmhwm_kib'] / 1024, t['vmhwm_kib'] / 1024
            mr = dm / tm
            ds, ts = d['rss_after_setup_kib'] / 1024, t['rss_after_setup_kib'] / 1024
            md.append(f'| {CASES[case]} | {fmt_ms(d["median_ms"])} | {fmt_ms(t["median_ms"])} | **{tr:.2f}×** | '
                      f'{d["min_ms"] / t["min_ms"]:.2f}× | {cpu_ratio(d, t)} | {dm:.0f} | {tm:.0f} | **{mr:.2f}×** | {ds:.0f} / {ts:.0f} | '
                      f'{dm - ds:.0f} / {tm - ts:.0f} ({(dm - ds) / (tm - ts):.2f}×) | '
                      f'{d["warmup"]} + {len(d["times_ms"])} |')
            console.append(f'  {case:7} {d["median_ms"]:9.1f} {t["median_ms"]:9.1f} {tr:6.2f} {dm:8.0f} {tm:7.0f} '
                           f'{mr:6.2f}')
            for k, v in t.get('sanity', {}).items():
                sanity_rows.append(f'| {model} | {k} | {v["max_abs_diff"]:.2e} | {v["max_abs_ref"]:.3g} |')
        md.append('')
    print('\n'.join(console))
    print(f'load average before {a.load_before}, after {a.load_after}; {a.elapsed} s')

    if not a.doc:
        return
    loaded = float(a.load_before.split()[0]) >= 1.5 if a.load_before != '?' else False
    out = ['# Benchmarks: DJL vs PyTorch eager (diffusion)', '',
           '_Generated by `bench/run.sh` (results) from `bench/report.py`; the findings below come from '
           '`bench/findings.md`._', '',
           'Target (DESIGN §7): the DJL implementation within **1.2×** of PyTorch eager in time and in peak '
           'memory, same CPU, same threads, same config. Ratios are DJL / PyTorch (lower is better for DJL).', '',
           '## How it was measured', '',
           '- Both sides load **identical weights** (the benchmark folder\'s `unet/`, diffusers layout) and '
           'identical inputs (`inputs.safetensors`, written by `DiffusionBench prepare`).',
           '- DJL side: `dev.alignloop.diffusion.bench.DiffusionBench run` on the production classes '
           '(`UNet2DConditionModel`, `TextToImagePipeline` + `DDIMScheduler`, `DpoTrainingStep` + `AdamW`). '
           'PyTorch side: `bench/pytorch_baseline.py`, a line-for-line re-implementation of the diffusers '
           '0.25.0 modules and the official Diffusion-DPO step in eager PyTorch (no diffusers on this machine).',
           '- Each (side, case) runs in **its own process**; time = median wall time of the timed iterations '
           'after the warm-up ones; memory = `VmHWM` (peak RSS) of that process at the end, so it includes '
           'the runtime itself (JVM + libtorch, or CPython + torch). The column "RSS before the case" is the '
           'RSS after loading the model(s) and inputs, before the first iteration.',
           '- Also reported: the ratio of the fastest iterations, and the ratio of median process CPU time per '
           'iteration (all threads; the JVM\'s JIT and GC included), both less sensitive to a loaded machine.',
           '- Sanity: outputs of one iteration on fresh weights, max |DJL − PyTorch| (table at the end).',
           '- Reproduce: `bench/run.sh` (≈ 6 min; `--help`-style usage at its top), then '
           '`bench/profile.sh MODEL CASE` to compare per-op profiles.', '',
           '## Machine', '', '| | |', '|---|---|']
    out += [f'| {k} | {v} |' for k, v in machine_facts(a.java, a.java_opts, a.threads)]
    out += [f'| Load average (1/5/15 min) | before: {a.load_before}; after: {a.load_after}'
            + (' — **the machine was shared and loaded during this run: absolute times are inflated and '
               'ratios noisy**' if loaded else '') + ' |',
            f'| Date, duration | {datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}, {a.elapsed} s |', '',
            f'Command: `{a.command}`', '', '## Results', '']
    out += md
    out += ['### Sanity: max |DJL − PyTorch| on one iteration', '',
            '| model | output | max abs diff | max abs value |', '|---|---|---:|---:|']
    out += sanity_rows
    out.append('')
    if a.findings and os.path.exists(a.findings):
        with open(a.findings) as f:
            out.append(f.read().rstrip() + '\n')
    # Everything from KEEP_MARKER on (the hand-run service benchmarks of bench/issue7) survives a rewrite.
    kept = ''
    if os.path.exists(a.doc):
        with open(a.doc) as f:
            old = f.read()
        if KEEP_MARKER in old:
            kept = old[old.index(KEEP_MARKER):]
    os.makedirs(os.path.dirname(a.doc), exist_ok=True)
    with open(a.doc, 'w') as f:
        f.write('\n'.join(out))
        if kept:
            f.write('\n' + kept)
    print(f'wrote {a.doc}')


if __name__ == '__main__':
    main()
