"""Regenerates the PIL resize fixtures for PilResamplerTest (needs numpy + Pillow).

Run from this folder: python3 make_fixtures.py. Expected outputs are lossless PNGs of what
Pillow's Image.resize(size, resample, reducing_gap=None) and Image.convert("RGB") return.
"""
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
# smooth-ish random content with sharp edges, so rounding and clipping both matter
base = rng.integers(0, 256, size=(41, 53, 3), dtype=np.uint8)
base[10:20, 5:30] = (250, 5, 128)
Image.fromarray(base).save("src-53x41.png")
src = Image.open("src-53x41.png")
cases = [
    ("bicubic", 3, 20, 15), ("bicubic", 3, 24, 41), ("bicubic", 3, 53, 17), ("bicubic", 3, 100, 77),
    ("bicubic", 3, 7, 5), ("bicubic", 3, 60, 30), ("bilinear", 2, 30, 22), ("bilinear", 2, 90, 50),
    ("lanczos", 1, 40, 60), ("hamming", 5, 26, 33), ("box", 4, 13, 10),
]
for name, code, w, h in cases:
    src.resize((w, h), resample=code, reducing_gap=None).save(f"{name}-{w}x{h}.png")

gray = rng.integers(0, 256, size=(9, 11), dtype=np.uint8)
Image.fromarray(gray, "L").save("mode-L.png")
la = np.stack([gray, 255 - gray], axis=-1)
Image.fromarray(la, "LA").save("mode-LA.png")
rgba = rng.integers(0, 256, size=(9, 11, 4), dtype=np.uint8)
Image.fromarray(rgba, "RGBA").save("mode-RGBA.png")
Image.fromarray(base[:9, :11]).convert("P", palette=Image.ADAPTIVE, colors=16).save("mode-P.png")
for m in ["L", "LA", "RGBA", "P"]:
    Image.open(f"mode-{m}.png").convert("RGB").save(f"mode-{m}-as-rgb.png")
