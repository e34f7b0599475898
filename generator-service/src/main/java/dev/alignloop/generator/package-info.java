/**
 * The generator service: consumes {@code PromptRequest}s from {@code alignloop.prompts}, samples
 * two images per prompt from the current policy, writes them as PNGs to the blob store and
 * publishes one {@code ImagePair} per prompt to {@code alignloop.pairs}, exactly once (Kafka
 * transactions); bad prompts go to the DLQ with the reason.
 *
 * <p>Pieces: {@link dev.alignloop.generator.GeneratorConfig} (the {@code alignloop.generator.*}
 * keys), {@link dev.alignloop.generator.PairGenerator} (the logic, testable alone), {@link
 * dev.alignloop.generator.PairSeeds} (deterministic seeds), {@link
 * dev.alignloop.generator.GeneratorWorker} (the Kafka wiring), {@link
 * dev.alignloop.generator.GeneratorMetrics}, and the policy lifecycle with hot swaps in {@link
 * dev.alignloop.generator.policy}. {@link dev.alignloop.generator.GeneratorApplication} is the
 * container entry point, {@link dev.alignloop.generator.GeneratorServer} the in-process one.
 */
package dev.alignloop.generator;
