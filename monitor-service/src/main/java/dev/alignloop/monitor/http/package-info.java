/**
 * HTTP adapters: each endpoint is one call into {@link dev.alignloop.monitor.MonitorService}.
 * {@code /api/stream} pushes {@link dev.alignloop.monitor.api.LiveUpdate}s as Server-Sent Events
 * (the page falls back to polling {@code /api/live} when the stream stalls).
 */
package dev.alignloop.monitor.http;
