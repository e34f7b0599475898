#!/usr/bin/env python3
"""Regenerates the diffusion bad-input corpus files (standard library only).

    python3 diffusion/src/test/resources/bad-input/make_files.py
"""
import hashlib
import json
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def st(header, data=b"", length=None, raw_header=None):
    """A safetensors file: u64 LE header length, header JSON, data."""
    h = raw_header if raw_header is not None else json.dumps(header, separators=(",", ":")).encode()
    n = len(h) if length is None else length
    return struct.pack("<Q", n) + h + data


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


F32x4 = struct.pack("<4f", 1, 2, 3, 4)


def safetensors():
    ok = {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
    write("safetensors/valid.safetensors", st(ok, F32x4))
    write("safetensors/header-length-exceeds-file.safetensors", st(ok, F32x4, length=1_000_000))
    write("safetensors/header-length-huge.safetensors", struct.pack("<Q", 2**63 + 5) + b"{}")
    write("safetensors/truncated-length.safetensors", b"\x10\x00\x00")
    write("safetensors/header-not-json.safetensors", st(None, F32x4, raw_header=b"not json{   "))
    write("safetensors/header-not-object.safetensors", st([1, 2], F32x4))
    write("safetensors/unknown-dtype.safetensors",
          st({"w": {"dtype": "F128", "shape": [2, 2], "data_offsets": [0, 16]}}, F32x4))
    write("safetensors/offsets-out-of-bounds.safetensors",
          st({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 1000]}}, F32x4))
    write("safetensors/offsets-reversed.safetensors",
          st({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [16, 0]}}, F32x4))
    write("safetensors/offsets-overlap.safetensors",
          st({"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
              "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}, F32x4))
    write("safetensors/shape-size-mismatch.safetensors",
          st({"w": {"dtype": "F32", "shape": [3, 3], "data_offsets": [0, 16]}}, F32x4))
    write("safetensors/negative-dimension.safetensors",
          st({"w": {"dtype": "F32", "shape": [-4], "data_offsets": [0, 16]}}, F32x4))
    write("safetensors/missing-data-offsets.safetensors", st({"w": {"dtype": "F32", "shape": [4]}}, F32x4))
    write("safetensors/metadata-not-strings.safetensors",
          st({"__metadata__": {"format": 1}, "w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, F32x4))


def configs():
    write("config/unet-not-json.json", "{\"_class_name\": \"UNet2DConditionModel\", ")
    write("config/unet-wrong-type.json", json.dumps({"_class_name": "UNet2DConditionModel",
                                                     "block_out_channels": "wide", "sample_size": 16}))
    write("config/unet-inconsistent-blocks.json", json.dumps({
        "_class_name": "UNet2DConditionModel", "sample_size": 16,
        "block_out_channels": [8, 16, 32],
        "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D"],
        "up_block_types": ["CrossAttnUpBlock2D", "UpBlock2D"]}))
    write("config/unet-unknown-block-type.json", json.dumps({
        "_class_name": "UNet2DConditionModel", "sample_size": 16, "block_out_channels": [8, 16],
        "down_block_types": ["FancyDownBlock2D", "DownBlock2D"], "up_block_types": ["UpBlock2D", "UpBlock2D"]}))
    write("config/unet-wrong-class.json", json.dumps({"_class_name": "UNet2DModel", "sample_size": 16}))
    write("scheduler/unknown-prediction-type.json",
          json.dumps({"_class_name": "DDIMScheduler", "prediction_type": "velocity"}))
    write("scheduler/unknown-beta-schedule.json",
          json.dumps({"_class_name": "DDIMScheduler", "beta_schedule": "cosine_typo"}))
    write("scheduler/unknown-timestep-spacing.json",
          json.dumps({"_class_name": "DDIMScheduler", "timestep_spacing": "random"}))
    write("scheduler/unknown-class.json", json.dumps({"_class_name": "FancyScheduler"}))
    write("scheduler/negative-train-timesteps.json",
          json.dumps({"_class_name": "DDPMScheduler", "num_train_timesteps": -5}))
    write("scheduler/not-json.json", "_class_name = DDIMScheduler")
    write("model_index/missing-unet/model_index.json", json.dumps({"_class_name": "StableDiffusionPipeline",
                                                                 "scheduler": ["diffusers", "DDIMScheduler"]}))
    write("model_index/not-json/model_index.json", "[\"StableDiffusionPipeline\"")
    write("model_index/component-folder-missing/model_index.json", json.dumps({
        "_class_name": "StableDiffusionPipeline", "unet": ["diffusers", "UNet2DConditionModel"],
        "scheduler": ["diffusers", "DDIMScheduler"]}))


def checkpoint(name, tamper):
    """A minimal checkpoint folder (manifest, trainer state, optimizer state) with one defect."""
    root = os.path.join(HERE, "checkpoint", name)
    shutil.rmtree(root, ignore_errors=True)
    version = "ckpt-00000002-corpus"
    files = {
        "trainer_state.json": json.dumps({
            "format": "alignloop-checkpoint/1", "version": version, "parent_version": None, "step": 2,
            "lr_step": 2, "rng": {"seed": 1, "position": 2}, "consumed_offsets": [], "metrics": {"loss": 0.69},
            "created_at": "2026-11-25T12:00:00Z"}, indent=2).encode(),
        "optimizer.safetensors": st({"__metadata__": {"format": "alignloop-checkpoint/1", "optimizer": "AdamW"}}),
        "unet/config.json": b"{}",
    }
    manifest_files = dict(files)
    if tamper == "tampered":
        files["optimizer.safetensors"] = st({"__metadata__": {"format": "alignloop-checkpoint/1", "optimizer": "AdamX"}})
    elif tamper == "missing":
        del files["unet/config.json"]
    elif tamper == "extra":
        files["unet/extra.bin"] = b"not in the manifest"
    elif tamper == "other-version":
        manifest_files = dict(files)
    for rel, data in files.items():
        write(os.path.join("checkpoint", name, rel), data)
    entries = [{"path": rel, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
               for rel, d in sorted(manifest_files.items())]
    manifest = {"format": "alignloop-checkpoint/1",
                "version": "ckpt-00000004-other" if tamper == "other-version" else version, "files": entries}
    write(os.path.join("checkpoint", name, "manifest.json"), json.dumps(manifest, indent=2))
    if tamper == "manifest-not-json":
        write(os.path.join("checkpoint", name, "manifest.json"), "{\"format\": \"alignloop-checkpoint/1\", ")


def main():
    safetensors()
    configs()
    for name in ("valid", "tampered", "missing", "extra", "other-version", "manifest-not-json"):
        checkpoint(name, name)


if __name__ == "__main__":
    main()
