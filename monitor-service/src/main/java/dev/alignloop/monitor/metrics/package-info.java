/**
 * Every Micrometer meter the monitor exports, named in one place ({@link
 * dev.alignloop.monitor.metrics.MonitorMetrics}); see {@code monitor-service/README-metrics.md}
 * for the Prometheus names.
 */
package dev.alignloop.monitor.metrics;
