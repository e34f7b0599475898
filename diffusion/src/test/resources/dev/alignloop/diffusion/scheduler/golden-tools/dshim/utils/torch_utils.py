import torch

NOISE = []  # noise handed to the next randn_tensor call (DDPM's step), else torch.randn


def randn_tensor(shape, generator=None, device=None, dtype=None, layout=None):
    if NOISE:
        return NOISE.pop(0)
    return torch.randn(shape, generator=generator, dtype=dtype)
