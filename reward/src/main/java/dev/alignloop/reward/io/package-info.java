/** Minimal safetensors reading and writing for the reward module's tools and parity tests. */
package dev.alignloop.reward.io;
