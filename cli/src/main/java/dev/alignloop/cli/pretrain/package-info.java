/** {@code alignloop pretrain base|reward}: reproduce the shipped shapes-world models. */
package dev.alignloop.cli.pretrain;
