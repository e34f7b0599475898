/**
 * Benchmarks of the scorer (DESIGN §7): {@link dev.alignloop.scorer.bench.ScorerBench}, labels/s
 * end to end against raw ONNX Runtime inference on the same batches. Run by hand or from the
 * CLI's {@code bench}; the unit tests only smoke-test it.
 */
package dev.alignloop.scorer.bench;
