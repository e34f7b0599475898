/**
 * Bounded in-memory aggregates of what the monitor has read, one class per concern, fed by
 * {@link dev.alignloop.monitor.aggregate.MonitorState#accept} on the watcher thread and read by
 * HTTP threads. Each class guards its state with its own monitor lock and hands out immutable
 * views; memory is bounded by {@code alignloop.monitor.history} and friends, whatever the
 * topics hold.
 */
package dev.alignloop.monitor.aggregate;
