#!/usr/bin/python3
"""PyTorch-eager half of the DJL-vs-PyTorch diffusion benchmark (see bench/run.sh, docs/benchmarks.md).

No diffusers here (no PyPI), so this file re-implements, line for line, the subset of diffusers 0.25.0
that the benchmark configs use: UNet2DConditionModel with DownBlock2D / CrossAttnDownBlock2D /
UNetMidBlock2DCrossAttn / CrossAttnUpBlock2D / UpBlock2D, ResnetBlock2D, Transformer2DModel with
BasicTransformerBlock (self- and cross-attention, GEGLU feed-forward), Downsample2D / Upsample2D and the
sinusoidal timestep embedding; DDIMScheduler.step (eta 0, epsilon) with the text-to-image loop and
classifier-free guidance; the official Diffusion-DPO step (train.py) with torch.optim.AdamW. Parameter
names are diffusers', so the UNet loads the benchmark folder's diffusion_pytorch_model.safetensors
(read with numpy: u64 LE header length, JSON header, raw data).

Attention: torch 1.13 has no F.scaled_dot_product_attention, so diffusers 0.25 would run its classic
AttnProcessor (baddbmm + softmax + bmm with heads folded into the batch); that is what runs here.

Usage (one case per process, so VmHWM is that case's peak):
  /usr/bin/python3 bench/pytorch_baseline.py --workdir DIR --case fwd|fwdbwd|ddim|dpo --out FILE.json \
      [--iters 10] [--warmup 2] [--threads 2] [--profile TRACE.json]
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np


def vm_kib(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return -1


RSS_START = vm_kib('VmRSS')
import torch  # noqa: E402  (after the first RSS reading)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

RSS_TORCH = vm_kib('VmRSS')

# ---------------------------------------------------------------- safetensors (numpy)
_ST_DTYPES = {'F32': np.float32, 'F64': np.float64, 'F16': np.float16, 'I64': np.int64, 'I32': np.int32,
              'U8': np.uint8, 'BOOL': np.bool_}


def load_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        s, e = info['data_offsets']
        if info['dtype'] == 'BF16':
            raw = np.frombuffer(data[s:e], dtype=np.uint16).astype(np.uint32) << 16
            arr = raw.view(np.float32)
        else:
            arr = np.frombuffer(data[s:e], dtype=_ST_DTYPES[info['dtype']])
        out[name] = arr.reshape(info['shape']).copy()
    return out


# ---------------------------------------------------------------- diffusers 0.25.0 subset
def get_timestep_embedding(timesteps, embedding_dim, flip_sin_to_cos=False, downscale_freq_shift=1,
                           scale=1, max_period=10000):
    half_dim = embedding_dim // 2
    exponent = -math.log(max_period) * torch.arange(start=0, end=half_dim, dtype=torch.float32,
                                                    device=timesteps.device)
    exponent = exponent / (half_dim - downscale_freq_shift)
    emb = torch.exp(exponent)
    emb = timesteps[:, None].float() * emb[None, :]
    emb = scale * emb
    emb = torch.cat([torch.sin(emb), torch.cos(emb)], dim=-1)
    if flip_sin_to_cos:
        emb = torch.cat([emb[:, half_dim:], emb[:, :half_dim]], dim=-1)
    if embedding_dim % 2 == 1:
        emb = F.pad(emb, (0, 1, 0, 0))
    return emb


class Timesteps(nn.Module):
    def __init__(self, num_channels, flip_sin_to_cos, downscale_freq_shift):
        super().__init__()
        self.num_channels = num_channels
        self.flip_sin_to_cos = flip_sin_to_cos
        self.downscale_freq_shift = downscale_freq_shift

    def forward(self, timesteps):
        return get_timestep_embedding(timesteps, self.num_channels, flip_sin_to_cos=self.flip_sin_to_cos,
                                      downscale_freq_shift=self.downscale_freq_shift)


class TimestepEmbedding(nn.Module):
    def __init__(self, in_channels, time_embed_dim):
        super().__init__()
        self.linear_1 = nn.Linear(in_channels, time_embed_dim)
        self.act = nn.SiLU()
        self.linear_2 = nn.Linear(time_embed_dim, time_embed_dim)

    def forward(self, sample):
        return self.linear_2(self.act(self.linear_1(sample)))


class ResnetBlock2D(nn.Module):
    def __init__(self, in_channels, out_channels, temb_channels, groups, eps, output_scale_factor=1.0):
        super().__init__()
        self.output_scale_factor = output_scale_factor
        self.norm1 = nn.GroupNorm(num_groups=groups, num_channels=in_channels, eps=eps, affine=True)
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=1, padding=1)
        self.time_emb_proj = nn.Linear(temb_channels, out_channels)
        self.norm2 = nn.GroupNorm(num_groups=groups, num_channels=out_channels, eps=eps, affine=True)
        self.dropout = nn.Dropout(0.0)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, stride=1, padding=1)
        self.nonlinearity = nn.SiLU()
        self.conv_shortcut = (nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=1, padding=0)
                              if in_channels != out_channels else None)

    def forward(self, input_tensor, temb):
        hidden_states = self.norm1(input_tensor)
        hidden_states = self.nonlinearity(hidden_states)
        hidden_states = self.conv1(hidden_states)
        temb = self.time_emb_proj(self.nonlinearity(temb))[:, :, None, None]
        hidden_states = hidden_states + temb
        hidden_states = self.norm2(hidden_states)
        hidden_states = self.nonlinearity(hidden_states)
        hidden_states = self.dropout(hidden_states)
        hidden_states = self.conv2(hidden_states)
        if self.conv_shortcut is not None:
            input_tensor = self.conv_shortcut(input_tensor)
        return (input_tensor + hidden_states) / self.output_scale_factor


class Attention(nn.Module):
    """diffusers Attention with the classic AttnProcessor (torch < 2.0)."""

    def __init__(self, query_dim, cross_attention_dim, heads, dim_head):
        super().__init__()
        inner_dim = dim_head * heads
        cross_attention_dim = cross_attention_dim if cross_attention_dim is not None else query_dim
        self.scale = dim_head ** -0.5
        self.heads = heads
        self.to_q = nn.Linear(query_dim, inner_dim, bias=False)
        self.to_k = nn.Linear(cross_attention_dim, inner_dim, bias=False)
        self.to_v = nn.Linear(cross_attention_dim, inner_dim, bias=False)
        self.to_out = nn.ModuleList([nn.Linear(inner_dim, query_dim, bias=True), nn.Dropout(0.0)])

    def head_to_batch_dim(self, tensor):
        batch_size, seq_len, dim = tensor.shape
        head_size = self.heads
        tensor = tensor.reshape(batch_size, seq_len, head_size, dim // head_size)
        return tensor.permute(0, 2, 1, 3).reshape(batch_size * head_size, seq_len, dim // head_size)

    def batch_to_head_dim(self, tensor):
        head_size = self.heads
        batch_size, seq_len, dim = tensor.shape
        tensor = tensor.reshape(batch_size // head_size, head_size, seq_len, dim)
        return tensor.permute(0, 2, 1, 3).reshape(batch_size // head_size, seq_len, dim * head_size)

    def get_attention_scores(self, query, key):
        baddbmm_input = torch.empty(query.shape[0], query.shape[1], key.shape[1], dtype=query.dtype,
                                    device=query.device)
        attention_scores = torch.baddbmm(baddbmm_input, query, key.transpose(-1, -2), beta=0, alpha=self.scale)
        return attention_scores.softmax(dim=-1)

    def forward(self, hidden_states, encoder_hidden_states=None):
        query = self.to_q(hidden_states)
        if encoder_hidden_states is None:
            encoder_hidden_states = hidden_states
        key = self.to_k(encoder_hidden_states)
        value = self.to_v(encoder_hidden_states)
        query = self.head_to_batch_dim(query)
        key = self.head_to_batch_dim(key)
        value = self.head_to_batch_dim(value)
        attention_probs = self.get_attention_scores(query, key)
        hidden_states = torch.bmm(attention_probs, value)
        hidden_states = self.batch_to_head_dim(hidden_states)
        hidden_states = self.to_out[0](hidden_states)
        return self.to_out[1](hidden_states)


class GEGLU(nn.Module):
    def __init__(self, dim_in, dim_out):
        super().__init__()
        self.proj = nn.Linear(dim_in, dim_out * 2)

    def forward(self, hidden_states):
        hidden_states, gate = self.proj(hidden_states).chunk(2, dim=-1)
        return hidden_states * F.gelu(gate)


class FeedForward(nn.Module):
    def __init__(self, dim, mult=4):
        super().__init__()
        inner_dim = int(dim * mult)
        self.net = nn.ModuleList([GEGLU(dim, inner_dim), nn.Dropout(0.0), nn.Linear(inner_dim, dim)])

    def forward(self, hidden_states):
        for module in self.net:
            hidden_states = module(hidden_states)
        return hidden_states


class BasicTransformerBlock(nn.Module):
    def __init__(self, dim, heads, dim_head, cross_attention_dim):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, elementwise_affine=True, eps=1e-5)
        self.attn1 = Attention(dim, None, heads, dim_head)
        self.norm2 = nn.LayerNorm(dim, elementwise_affine=True, eps=1e-5)
        self.attn2 = Attention(dim, cross_attention_dim, heads, dim_head)
        self.norm3 = nn.LayerNorm(dim, elementwise_affine=True, eps=1e-5)
        self.ff = FeedForward(dim)

    def forward(self, hidden_states, encoder_hidden_states):
        hidden_states = self.attn1(self.norm1(hidden_states)) + hidden_states
        hidden_states = self.attn2(self.norm2(hidden_states), encoder_hidden_states) + hidden_states
        hidden_states = self.ff(self.norm3(hidden_states)) + hidden_states
        return hidden_states


class Transformer2DModel(nn.Module):
    def __init__(self, heads, dim_head, in_channels, num_layers, cross_attention_dim, norm_num_groups,
                 use_linear_projection):
        super().__init__()
        inner_dim = heads * dim_head
        self.use_linear_projection = use_linear_projection
        self.norm = nn.GroupNorm(num_groups=norm_num_groups, num_channels=in_channels, eps=1e-6, affine=True)
        if use_linear_projection:
            self.proj_in = nn.Linear(in_channels, inner_dim)
        else:
            self.proj_in = nn.Conv2d(in_channels, inner_dim, kernel_size=1, stride=1, padding=0)
        self.transformer_blocks = nn.ModuleList(
            [BasicTransformerBlock(inner_dim, heads, dim_head, cross_attention_dim) for _ in range(num_layers)])
        if use_linear_projection:
            self.proj_out = nn.Linear(inner_dim, in_channels)
        else:
            self.proj_out = nn.Conv2d(inner_dim, in_channels, kernel_size=1, stride=1, padding=0)

    def forward(self, hidden_states, encoder_hidden_states):
        batch, _, height, width = hidden_states.shape
        residual = hidden_states
        hidden_states = self.norm(hidden_states)
        if not self.use_linear_projection:
            hidden_states = self.proj_in(hidden_states)
            inner_dim = hidden_states.shape[1]
            hidden_states = hidden_states.permute(0, 2, 3, 1).reshape(batch, height * width, inner_dim)
        else:
            inner_dim = hidden_states.shape[1]
            hidden_states = hidden_states.permute(0, 2, 3, 1).reshape(batch, height * width, inner_dim)
            hidden_states = self.proj_in(hidden_states)
        for block in self.transformer_blocks:
            hidden_states = block(hidden_states, encoder_hidden_states)
        if not self.use_linear_projection:
            hidden_states = hidden_states.reshape(batch, height, width, inner_dim).permute(0, 3, 1, 2).contiguous()
            hidden_states = self.proj_out(hidden_states)
        else:
            hidden_states = self.proj_out(hidden_states)
            hidden_states = hidden_states.reshape(batch, height, width, inner_dim).permute(0, 3, 1, 2).contiguous()
        return hidden_states + residual


class Downsample2D(nn.Module):
    def __init__(self, channels, padding):
        super().__init__()
        self.padding = padding
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=padding)

    def forward(self, hidden_states):
        if self.padding == 0:
            hidden_states = F.pad(hidden_states, (0, 1, 0, 1), mode='constant', value=0)
        return self.conv(hidden_states)


class Upsample2D(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, kernel_size=3, padding=1)

    def forward(self, hidden_states, output_size=None):
        if output_size is None:
            hidden_states = F.interpolate(hidden_states, scale_factor=2.0, mode='nearest')
        else:
            hidden_states = F.interpolate(hidden_states, size=output_size, mode='nearest')
        return self.conv(hidden_states)


class DownBlock(nn.Module):
    """DownBlock2D (attentions=None) and CrossAttnDownBlock2D."""

    def __init__(self, cfg, i, in_channels, out_channels, add_downsample):
        super().__init__()
        cross = cfg['down_block_types'][i] == 'CrossAttnDownBlock2D'
        temb, groups, eps = cfg['time_embed_dim'], cfg['norm_num_groups'], cfg['norm_eps']
        heads = cfg['heads'][i]
        resnets, attentions = [], []
        for l in range(cfg['layers_per_block'][i]):
            resnets.append(ResnetBlock2D(in_channels if l == 0 else out_channels, out_channels, temb, groups, eps))
            if cross:
                attentions.append(Transformer2DModel(heads, out_channels // heads, out_channels,
                                                     cfg['transformer_layers_per_block'][i],
                                                     cfg['cross_attention_dim'][i], groups,
                                                     cfg['use_linear_projection']))
        self.resnets = nn.ModuleList(resnets)
        self.attentions = nn.ModuleList(attentions) if cross else None
        self.downsamplers = (nn.ModuleList([Downsample2D(out_channels, cfg['downsample_padding'])])
                             if add_downsample else None)

    def forward(self, hidden_states, temb, encoder_hidden_states):
        output_states = ()
        for l, resnet in enumerate(self.resnets):
            hidden_states = resnet(hidden_states, temb)
            if self.attentions is not None:
                hidden_states = self.attentions[l](hidden_states, encoder_hidden_states)
            output_states = output_states + (hidden_states,)
        if self.downsamplers is not None:
            for downsampler in self.downsamplers:
                hidden_states = downsampler(hidden_states)
            output_states = output_states + (hidden_states,)
        return hidden_states, output_states


class UpBlock(nn.Module):
    """UpBlock2D (attentions=None) and CrossAttnUpBlock2D."""

    def __init__(self, cfg, i, rev, in_channels, out_channels, prev_output_channel, num_layers, add_upsample):
        super().__init__()
        cross = cfg['up_block_types'][i] == 'CrossAttnUpBlock2D'
        temb, groups, eps = cfg['time_embed_dim'], cfg['norm_num_groups'], cfg['norm_eps']
        heads = cfg['heads'][rev]
        resnets, attentions = [], []
        for l in range(num_layers):
            res_skip_channels = in_channels if (l == num_layers - 1) else out_channels
            resnet_in_channels = prev_output_channel if l == 0 else out_channels
            resnets.append(ResnetBlock2D(resnet_in_channels + res_skip_channels, out_channels, temb, groups, eps))
            if cross:
                attentions.append(Transformer2DModel(heads, out_channels // heads, out_channels,
                                                     cfg['transformer_layers_per_block'][rev],
                                                     cfg['cross_attention_dim'][rev], groups,
                                                     cfg['use_linear_projection']))
        self.resnets = nn.ModuleList(resnets)
        self.attentions = nn.ModuleList(attentions) if cross else None
        self.upsamplers = nn.ModuleList([Upsample2D(out_channels)]) if add_upsample else None

    def forward(self, hidden_states, res_hidden_states_tuple, temb, encoder_hidden_states, upsample_size=None):
        for l, resnet in enumerate(self.resnets):
            res_hidden_states = res_hidden_states_tuple[-1]
            res_hidden_states_tuple = res_hidden_states_tuple[:-1]
            hidden_states = torch.cat([hidden_states, res_hidden_states], dim=1)
            hidden_states = resnet(hidden_states, temb)
            if self.attentions is not None:
                hidden_states = self.attentions[l](hidden_states, encoder_hidden_states)
        if self.upsamplers is not None:
            for upsampler in self.upsamplers:
                hidden_states = upsampler(hidden_states, upsample_size)
        return hidden_states


class UNetMidBlock2DCrossAttn(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        ch = cfg['block_out_channels'][-1]
        heads = cfg['heads'][-1]
        temb, groups, eps = cfg['time_embed_dim'], cfg['norm_num_groups'], cfg['norm_eps']
        scale = cfg['mid_block_scale_factor']
        self.resnets = nn.ModuleList([ResnetBlock2D(ch, ch, temb, groups, eps, scale),
                                      ResnetBlock2D(ch, ch, temb, groups, eps, scale)])
        self.attentions = nn.ModuleList([Transformer2DModel(heads, ch // heads, ch,
                                                            cfg['transformer_layers_per_block'][-1],
                                                            cfg['cross_attention_dim'][-1], groups,
                                                            cfg['use_linear_projection'])])

    def forward(self, hidden_states, temb, encoder_hidden_states):
        hidden_states = self.resnets[0](hidden_states, temb)
        for attn, resnet in zip(self.attentions, self.resnets[1:]):
            hidden_states = attn(hidden_states, encoder_hidden_states)
            hidden_states = resnet(hidden_states, temb)
        return hidden_states


def _per_block(value, n):
    return list(value) if isinstance(value, (list, tuple)) else [value] * n


SUPPORTED = {'act_fn': 'silu', 'addition_embed_type': None, 'class_embed_type': None, 'center_input_sample': False,
             'conv_in_kernel': 3, 'conv_out_kernel': 3, 'time_embedding_type': 'positional',
             'time_embedding_act_fn': None, 'timestep_post_act': None, 'encoder_hid_dim': None,
             'resnet_time_scale_shift': 'default', 'dual_cross_attention': False, 'only_cross_attention': False,
             'num_attention_heads': None, 'time_cond_proj_dim': None, 'time_embedding_dim': None}


def unet_config(raw):
    for k, v in SUPPORTED.items():
        if raw.get(k, v) != v:
            raise SystemExit(f'config key {k}={raw[k]!r} is not implemented by this baseline')
    boc = raw['block_out_channels']
    n = len(boc)
    return {
        'in_channels': raw.get('in_channels', 4), 'out_channels': raw.get('out_channels', 4),
        'block_out_channels': boc, 'down_block_types': raw['down_block_types'],
        'up_block_types': raw['up_block_types'],
        'mid_block_type': raw.get('mid_block_type', 'UNetMidBlock2DCrossAttn'),
        'layers_per_block': _per_block(raw.get('layers_per_block', 2), n),
        'cross_attention_dim': _per_block(raw.get('cross_attention_dim', 1280), n),
        'transformer_layers_per_block': _per_block(raw.get('transformer_layers_per_block', 1), n),
        # num_attention_heads = num_attention_heads or attention_head_dim (diffusers' naming quirk)
        'heads': _per_block(raw.get('attention_head_dim', 8), n),
        'norm_num_groups': raw.get('norm_num_groups', 32), 'norm_eps': raw.get('norm_eps', 1e-5),
        'downsample_padding': raw.get('downsample_padding', 1),
        'mid_block_scale_factor': raw.get('mid_block_scale_factor', 1),
        'use_linear_projection': raw.get('use_linear_projection', False),
        'flip_sin_to_cos': raw.get('flip_sin_to_cos', True), 'freq_shift': raw.get('freq_shift', 0),
        'time_embed_dim': boc[0] * 4,
    }


class UNet2DConditionModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        boc = cfg['block_out_channels']
        n = len(boc)
        self.conv_in = nn.Conv2d(cfg['in_channels'], boc[0], kernel_size=3, padding=1)
        self.time_proj = Timesteps(boc[0], cfg['flip_sin_to_cos'], cfg['freq_shift'])
        self.time_embedding = TimestepEmbedding(boc[0], cfg['time_embed_dim'])
        down = []
        output_channel = boc[0]
        for i in range(n):
            input_channel = output_channel
            output_channel = boc[i]
            down.append(DownBlock(cfg, i, input_channel, output_channel, add_downsample=i != n - 1))
        self.down_blocks = nn.ModuleList(down)
        self.mid_block = UNetMidBlock2DCrossAttn(cfg) if cfg['mid_block_type'] is not None else None
        up = []
        rev_boc = list(reversed(boc))
        rev_layers = list(reversed(cfg['layers_per_block']))
        output_channel = rev_boc[0]
        for i in range(n):
            prev_output_channel = output_channel
            output_channel = rev_boc[i]
            input_channel = rev_boc[min(i + 1, n - 1)]
            up.append(UpBlock(cfg, i, n - 1 - i, input_channel, output_channel, prev_output_channel,
                              rev_layers[i] + 1, add_upsample=i != n - 1))
        self.up_blocks = nn.ModuleList(up)
        self.num_upsamplers = n - 1
        self.conv_norm_out = nn.GroupNorm(num_channels=boc[0], num_groups=cfg['norm_num_groups'],
                                          eps=cfg['norm_eps'])
        self.conv_act = nn.SiLU()
        self.conv_out = nn.Conv2d(boc[0], cfg['out_channels'], kernel_size=3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states):
        default_overall_up_factor = 2 ** self.num_upsamplers
        forward_upsample_size = any(s % default_overall_up_factor != 0 for s in sample.shape[-2:])
        timesteps = timestep
        if not torch.is_tensor(timesteps):
            timesteps = torch.tensor([timesteps], dtype=torch.int64)
        elif len(timesteps.shape) == 0:
            timesteps = timesteps[None]
        timesteps = timesteps.expand(sample.shape[0])
        t_emb = self.time_proj(timesteps).to(dtype=sample.dtype)
        emb = self.time_embedding(t_emb)
        sample = self.conv_in(sample)
        down_block_res_samples = (sample,)
        for block in self.down_blocks:
            sample, res_samples = block(sample, emb, encoder_hidden_states)
            down_block_res_samples += res_samples
        if self.mid_block is not None:
            sample = self.mid_block(sample, emb, encoder_hidden_states)
        for i, block in enumerate(self.up_blocks):
            is_final_block = i == len(self.up_blocks) - 1
            res_samples = down_block_res_samples[-len(block.resnets):]
            down_block_res_samples = down_block_res_samples[:-len(block.resnets)]
            upsample_size = None
            if not is_final_block and forward_upsample_size:
                upsample_size = down_block_res_samples[-1].shape[2:]
            sample = block(sample, res_samples, emb, encoder_hidden_states, upsample_size)
        sample = self.conv_norm_out(sample)
        sample = self.conv_act(sample)
        return self.conv_out(sample)


def load_unet(unet_dir):
    with open(os.path.join(unet_dir, 'config.json')) as f:
        cfg = unet_config(json.load(f))
    model = UNet2DConditionModel(cfg)
    state = {k: torch.from_numpy(v) for k, v in
             load_safetensors(os.path.join(unet_dir, 'diffusion_pytorch_model.safetensors')).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f'{unet_dir}: missing {missing}, unexpected {unexpected}')
    del state
    return model, cfg


# ---------------------------------------------------------------- schedulers (diffusers 0.25.0)
def alphas_cumprod_of(sched):
    if sched.get('beta_schedule') != 'scaled_linear' or sched.get('prediction_type', 'epsilon') != 'epsilon':
        raise SystemExit('this baseline implements scaled_linear betas and epsilon prediction only')
    n = sched['num_train_timesteps']
    betas = torch.linspace(sched['beta_start'] ** 0.5, sched['beta_end'] ** 0.5, n, dtype=torch.float32) ** 2
    return torch.cumprod(1.0 - betas, dim=0)


class DDIMScheduler:
    """DDIMScheduler with eta = 0, epsilon prediction, no clipping/thresholding, leading spacing."""

    def __init__(self, sched):
        if sched.get('timestep_spacing', 'leading') != 'leading' or sched.get('clip_sample', True) or \
                sched.get('thresholding', False):
            raise SystemExit('this baseline implements leading spacing without clipping only')
        self.num_train_timesteps = sched['num_train_timesteps']
        self.steps_offset = sched.get('steps_offset', 0)
        self.alphas_cumprod = alphas_cumprod_of(sched)
        self.final_alpha_cumprod = torch.tensor(1.0) if sched.get('set_alpha_to_one', True) else self.alphas_cumprod[0]
        self.init_noise_sigma = 1.0

    def set_timesteps(self, num_inference_steps):
        self.num_inference_steps = num_inference_steps
        step_ratio = self.num_train_timesteps // num_inference_steps
        timesteps = (np.arange(0, num_inference_steps) * step_ratio).round()[::-1].copy().astype(np.int64)
        self.timesteps = torch.from_numpy(timesteps) + self.steps_offset

    def scale_model_input(self, sample, timestep=None):
        return sample

    def step(self, model_output, timestep, sample):
        prev_timestep = timestep - self.num_train_timesteps // self.num_inference_steps
        alpha_prod_t = self.alphas_cumprod[timestep]
        alpha_prod_t_prev = self.alphas_cumprod[prev_timestep] if prev_timestep >= 0 else self.final_alpha_cumprod
        beta_prod_t = 1 - alpha_prod_t
        pred_original_sample = (sample - beta_prod_t ** (0.5) * model_output) / alpha_prod_t ** (0.5)
        pred_epsilon = model_output
        std_dev_t = 0.0  # eta = 0
        pred_sample_direction = (1 - alpha_prod_t_prev - std_dev_t ** 2) ** (0.5) * pred_epsilon
        return alpha_prod_t_prev ** (0.5) * pred_original_sample + pred_sample_direction


def add_noise(alphas_cumprod, original_samples, noise, timesteps):
    """DDPMScheduler.add_noise."""
    sqrt_alpha_prod = (alphas_cumprod[timesteps] ** 0.5).flatten()
    while len(sqrt_alpha_prod.shape) < len(original_samples.shape):
        sqrt_alpha_prod = sqrt_alpha_prod.unsqueeze(-1)
    sqrt_one_minus_alpha_prod = ((1 - alphas_cumprod[timesteps]) ** 0.5).flatten()
    while len(sqrt_one_minus_alpha_prod.shape) < len(original_samples.shape):
        sqrt_one_minus_alpha_prod = sqrt_one_minus_alpha_prod.unsqueeze(-1)
    return sqrt_alpha_prod * original_samples + sqrt_one_minus_alpha_prod * noise


# ---------------------------------------------------------------- workloads (same as the DJL side's)
DDIM_STEPS = 20
GUIDANCE = 7.5
LR = 1e-5
BETA_DPO = 5000.0
PROBE = 'conv_in.weight'


def host(t):
    return t.detach().float().numpy().copy()


def workload(case, workdir):
    inputs = {k: torch.from_numpy(v) for k, v in load_safetensors(os.path.join(workdir, 'inputs.safetensors')).items()}
    unet_dir = os.path.join(workdir, 'unet')
    if case == 'fwd':
        unet, _ = load_unet(unet_dir)
        unet.requires_grad_(False).eval()
        sample, t, ehs = inputs['sample'], inputs['timestep'], inputs['encoder_hidden_states']

        def it(capture):
            with torch.no_grad():
                out = unet(sample, t, ehs)
            return {'forward_out': host(out)} if capture else {}
        return it
    if case == 'fwdbwd':
        unet, _ = load_unet(unet_dir)
        unet.train()
        sample, t, ehs, target = (inputs['sample'], inputs['timestep'], inputs['encoder_hidden_states'],
                                  inputs['target'])
        probe = dict(unet.named_parameters())[PROBE]

        def it(capture):
            pred = unet(sample, t, ehs)
            loss = F.mse_loss(pred, target)
            loss.backward()
            out = {'fwdbwd_loss': host(loss).reshape(1), 'fwdbwd_grad_probe': host(probe.grad)} if capture else {}
            unet.zero_grad(set_to_none=False)
            return out
        return it
    if case == 'ddim':
        unet, _ = load_unet(unet_dir)
        unet.requires_grad_(False).eval()
        with open(os.path.join(workdir, 'scheduler_ddim', 'scheduler_config.json')) as f:
            sched_cfg = json.load(f)
        latents0 = inputs['ddim_latents']
        prompt_embeds = torch.cat([inputs['ddim_uncond'], inputs['ddim_cond']])  # negative rows first

        @torch.no_grad()
        def it(capture):
            # StableDiffusionPipeline.__call__ (no VAE: pixel space / latents returned as they are)
            scheduler = DDIMScheduler(sched_cfg)
            scheduler.set_timesteps(DDIM_STEPS)
            latents = latents0 * scheduler.init_noise_sigma
            for t in scheduler.timesteps:
                latent_model_input = torch.cat([latents] * 2)
                latent_model_input = scheduler.scale_model_input(latent_model_input, t)
                noise_pred = unet(latent_model_input, t, prompt_embeds)
                noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)
                noise_pred = noise_pred_uncond + GUIDANCE * (noise_pred_text - noise_pred_uncond)
                latents = scheduler.step(noise_pred, t, latents)
            images = (latents / 2 + 0.5).clamp(0, 1)
            return {'ddim_images': host(images)} if capture else {}
        return it
    if case == 'dpo':
        unet, _ = load_unet(unet_dir)
        ref_unet, _ = load_unet(unet_dir)
        unet.train()
        ref_unet.requires_grad_(False).eval()
        with open(os.path.join(workdir, 'scheduler_ddpm', 'scheduler_config.json')) as f:
            alphas_cumprod = alphas_cumprod_of(json.load(f))
        optimizer = torch.optim.AdamW(unet.parameters(), lr=LR, betas=(0.9, 0.999), weight_decay=1e-2, eps=1e-8)
        x_w, x_l, noise0, t0, ehs0 = (inputs['x_w'], inputs['x_l'], inputs['noise'], inputs['timesteps'],
                                      inputs['dpo_encoder_hidden_states'])
        probe = dict(unet.named_parameters())[PROBE]

        def it(capture):
            # Diffusion-DPO train.py: feed both images of each pair with the same noise and timestep
            latents = torch.cat([x_w, x_l])
            noise = noise0.repeat(2, 1, 1, 1)
            timesteps = t0.repeat(2)
            encoder_hidden_states = ehs0.repeat(2, 1, 1)
            noisy_latents = add_noise(alphas_cumprod, latents, noise, timesteps)
            target = noise
            model_pred = unet(noisy_latents, timesteps, encoder_hidden_states)
            model_losses = (model_pred - target).pow(2).mean(dim=[1, 2, 3])
            model_losses_w, model_losses_l = model_losses.chunk(2)
            model_diff = model_losses_w - model_losses_l
            with torch.no_grad():
                ref_pred = ref_unet(noisy_latents, timesteps, encoder_hidden_states).detach()
                ref_losses = (ref_pred - target).pow(2).mean(dim=[1, 2, 3])
                ref_losses_w, ref_losses_l = ref_losses.chunk(2)
                ref_diff = ref_losses_w - ref_losses_l
            scale_term = -0.5 * BETA_DPO
            inside_term = scale_term * (model_diff - ref_diff)
            loss = -1 * F.logsigmoid(inside_term).mean()
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=False)
            if not capture:
                return {}
            return {'dpo_loss': host(loss).reshape(1), 'dpo_model_diff': host(model_diff),
                    'dpo_ref_diff': host(ref_diff), 'dpo_param_probe': host(probe)}
        return it
    raise SystemExit(f'unknown case {case}')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--workdir', required=True)
    p.add_argument('--case', required=True, choices=['fwd', 'fwdbwd', 'ddim', 'dpo'])
    p.add_argument('--out', required=True)
    p.add_argument('--iters', type=int, default=10)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--profile')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    it = workload(a.case, a.workdir)
    rss_setup = vm_kib('VmRSS')
    # The first warm-up iteration (fresh weights, as in the DJL side's reference run) is the sanity check.
    got = it(True)
    for _ in range(a.warmup - 1):
        it(False)
    times, cpu = [], []
    prof = torch.autograd.profiler.profile(record_shapes=True) if a.profile else None
    if prof:
        prof.__enter__()
    for _ in range(a.iters):
        c0 = time.process_time()  # all threads of the process
        t0 = time.perf_counter()
        it(False)
        times.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    if prof:
        prof.__exit__(None, None, None)
        prof.export_chrome_trace(a.profile)
    hwm = vm_kib('VmHWM')
    ref = load_safetensors(os.path.join(a.workdir, 'reference.safetensors'))
    sanity = {}
    for k, v in got.items():
        r = ref[k].reshape(v.shape)
        sanity[k] = {'max_abs_diff': float(np.abs(v - r).max()), 'max_abs_ref': float(np.abs(r).max())}
    res = {'side': 'pytorch', 'case': a.case, 'engine': f'torch {torch.__version__}',
           'threads': torch.get_num_threads(), 'interop_threads': torch.get_num_interop_threads(),
           'warmup': a.warmup, 'times_ms': times, 'median_ms': float(np.median(times)), 'min_ms': min(times),
           'mean_ms': float(np.mean(times)), 'cpu_median_ms': float(np.median(cpu)), 'rss_start_kib': RSS_START,
           'rss_after_engine_kib': RSS_TORCH,
           'rss_after_setup_kib': rss_setup, 'vmhwm_kib': hwm, 'sanity': sanity}
    with open(a.out, 'w') as f:
        json.dump(res, f, indent=2)
    diffs = ', '.join(f'{k} {v["max_abs_diff"]:.2e}' for k, v in sanity.items())
    print(f'pytorch {a.case}: median {res["median_ms"]:.1f} ms, VmHWM {hwm >> 10} MiB; max|djl-pt| {diffs}')


if __name__ == '__main__':
    sys.exit(main())
