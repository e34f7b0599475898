/**
 * The eval gate service: evaluates each CANDIDATE checkpoint against the base model on fixed
 * held-out prompts and seeds (reward and independent-judge win-rates, reward-hacking guard) and
 * publishes the verdict — an {@code EvalResult} and the checkpoint re-published as PROMOTED or
 * REJECTED — in one Kafka transaction. Thin wiring over the {@code eval} library.
 */
package dev.alignloop.gate;
