/**
 * What every AlignLoop service shares on top of Micronaut: beans built from the typed config
 * keys of {@code common} (Kafka settings, blob store, clock) and, as the services grow, the
 * adapters from the streaming loops to Micrometer and the worker lifecycle.
 */
package dev.alignloop.servicekit;
