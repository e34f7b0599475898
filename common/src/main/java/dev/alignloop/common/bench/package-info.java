/** Helpers shared by the benchmarks (bench/, docs/benchmarks.md). */
package dev.alignloop.common.bench;
