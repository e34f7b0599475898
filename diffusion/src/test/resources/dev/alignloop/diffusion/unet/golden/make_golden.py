"""Makes the extra UNet golden cases with diffusers v0.25.0 (float32, CPU).

usage: PYTHONPATH=<diffusers-0.25.0>/src python3 make_golden.py OUT_DIR
Each case: OUT_DIR/<case>/unet/{config.json, diffusion_pytorch_model.safetensors}, inputs.safetensors,
expected.safetensors (`sample`, and for `odd_*` inputs `sample_odd`; `grad.<param>` = d(sum(sample * probe))/d param).
"""
import importlib, json, os, re, sys, types

import torch
import torch.utils._pytree as pytree

# --- shims so diffusers 0.25.0 imports under a newer huggingface_hub / torch -------------------
if not hasattr(pytree, "_register_pytree_node"):
    pytree._register_pytree_node = lambda *a, **k: None


def import_diffusers_unet():
    for _ in range(40):
        try:
            from diffusers.models.unet_2d_condition import UNet2DConditionModel
            return UNet2DConditionModel
        except ImportError as e:
            m = re.search(r"cannot import name '(\w+)' from '([\w.]+)'", str(e))
            if not m:
                raise
            name, mod = m.group(1), m.group(2)
            setattr(importlib.import_module(mod), name, lambda *a, **k: None)
            for k in [k for k in sys.modules if k.startswith("diffusers")]:
                del sys.modules[k]
    raise RuntimeError("could not import diffusers")


UNet2DConditionModel = import_diffusers_unet()
import diffusers
assert diffusers.__version__ == "0.25.0", diffusers.__version__
from safetensors.torch import save_file

torch.set_num_threads(8)


def perturb(model, gen):
    # default init leaves norms at 1/0; perturb every parameter so each one matters
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05 * torch.randn(p.shape, generator=gen))


def make(out, name, config, inputs, grads):
    gen = torch.Generator().manual_seed(1234)
    torch.manual_seed(0)
    model = UNet2DConditionModel(**config)
    perturb(model, gen)
    model.eval()
    d = os.path.join(out, name)
    os.makedirs(os.path.join(d, "unet"), exist_ok=True)
    model.save_config(os.path.join(d, "unet"))
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              os.path.join(d, "unet", "diffusion_pytorch_model.safetensors"), metadata={"format": "pt"})
    exp = {}
    for suffix in ["", "_odd"]:
        if "sample" + suffix not in inputs:
            continue
        added = None
        if "text_embeds" + suffix in inputs:
            added = {"text_embeds": inputs["text_embeds" + suffix], "time_ids": inputs["time_ids" + suffix]}
        with torch.no_grad():
            y = model(inputs["sample" + suffix], inputs["timestep" + suffix], inputs["encoder_hidden_states" + suffix],
                      added_cond_kwargs=added).sample
        exp["sample" + suffix] = y
    if grads:
        model.zero_grad()
        added = None
        if "text_embeds" in inputs:
            added = {"text_embeds": inputs["text_embeds"], "time_ids": inputs["time_ids"]}
        y = model(inputs["sample"], inputs["timestep"], inputs["encoder_hidden_states"], added_cond_kwargs=added).sample
        (y * inputs["probe"]).sum().backward()
        for k, p in model.named_parameters():
            exp["grad." + k] = p.grad.detach().clone()
    save_file({k: v.contiguous() for k, v in inputs.items()}, os.path.join(d, "inputs.safetensors"))
    save_file({k: v.contiguous() for k, v in exp.items()}, os.path.join(d, "expected.safetensors"))
    json.dump({"tool": "eval-unet", "tolerance": 1e-4}, open(os.path.join(d, "case.json"), "w"))
    print(name, {k: tuple(v.shape) for k, v in exp.items() if not k.startswith("grad.")},
          sum(p.numel() for p in model.parameters()), "params")


def main(out):
    g = torch.Generator().manual_seed(7)
    r = lambda *s: torch.randn(*s, generator=g)

    # SDXL-like: text_time, linear projection, list-valued heads and transformer depth, DownBlock2D first
    sdxl = dict(sample_size=16, in_channels=4, out_channels=4, block_out_channels=[32, 64, 64],
                down_block_types=["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
                up_block_types=["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
                layers_per_block=2, attention_head_dim=[1, 2, 4], transformer_layers_per_block=[1, 1, 2],
                cross_attention_dim=24, use_linear_projection=True, addition_embed_type="text_time",
                addition_time_embed_dim=8, projection_class_embeddings_input_dim=16 + 6 * 8, norm_num_groups=32)
    time_ids = torch.tensor([[64.0, 64.0, 0.0, 0.0, 64.0, 64.0], [48.0, 80.0, 4.0, 8.0, 64.0, 64.0]])
    inputs = {"sample": r(2, 4, 16, 16), "timestep": torch.tensor([999, 17], dtype=torch.int64),
              "encoder_hidden_states": r(2, 5, 24), "text_embeds": r(2, 16), "time_ids": time_ids,
              "sample_odd": r(1, 4, 10, 14), "timestep_odd": torch.tensor(321.0),
              "encoder_hidden_states_odd": r(1, 3, 24), "text_embeds_odd": r(1, 16),
              "time_ids_odd": torch.tensor([[40.0, 56.0, 0.0, 0.0, 40.0, 56.0]])}
    inputs["probe"] = r(*inputs["sample"].shape)
    make(out, "unet-sdxl-tiny", sdxl, inputs, grads=True)

    # pixel-space like the shapes world: 3 channels, 32x32, attention only at 16 and 8, unusual time switches
    pixel = dict(sample_size=32, in_channels=3, out_channels=3, block_out_channels=[32, 64, 64],
                 down_block_types=["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
                 up_block_types=["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
                 layers_per_block=1, attention_head_dim=4, cross_attention_dim=32, norm_num_groups=16,
                 flip_sin_to_cos=False, freq_shift=1, mid_block_scale_factor=1.5, time_embedding_act_fn="silu",
                 downsample_padding=0, center_input_sample=True)
    inputs = {"sample": r(2, 3, 32, 32), "timestep": torch.tensor([3.5, 640.25]),
              "encoder_hidden_states": r(2, 6, 32)}
    inputs["probe"] = r(*inputs["sample"].shape)
    make(out, "unet-pixel-tiny", pixel, inputs, grads=True)


if __name__ == "__main__":
    main(sys.argv[1])
