/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length, a JSON header mapping tensor names to dtype, shape and data offsets, then raw
 * little-endian tensor bytes. No pickle, ever: this is the only weight format AlignLoop reads.
 */
package dev.alignloop.diffusion.safetensors;
