/** {@code alignloop model}: parity and debugging tools over safetensors files. */
package dev.alignloop.cli.model;
