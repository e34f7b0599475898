/**
 * The AlignLoop monitor: a Micronaut service that watches the loop by its topics.
 *
 * <ul>
 *   <li>{@link dev.alignloop.monitor.kafka.TopicWatcher} reads all six topics from the beginning
 *       with a group-less {@code assign()} consumer (it never joins or commits for any group)
 *       and feeds the bounded in-memory {@link dev.alignloop.monitor.aggregate aggregates};
 *   <li>{@link dev.alignloop.monitor.kafka.LagMonitor} polls consumer-group lag with the
 *       AdminClient and survives broker restarts;
 *   <li>{@link dev.alignloop.monitor.MonitorService} is the one call behind each HTTP endpoint
 *       ({@link dev.alignloop.monitor.http}); the dashboard is static HTML/JS/CSS under
 *       {@code classpath:dashboard} (hand-written SVG charts, no CDN).
 * </ul>
 *
 * <p>{@link dev.alignloop.monitor.MonitorServer#start} is the entry point for the CLI and the
 * demo; {@link dev.alignloop.monitor.MonitorApplication} the one for a container.
 */
package dev.alignloop.monitor;
