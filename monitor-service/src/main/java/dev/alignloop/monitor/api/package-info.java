/**
 * JSON views served by the monitor's HTTP API ({@code /api/*}): immutable records, times as
 * epoch milliseconds (so the dashboard's JavaScript needs no date parsing), nullable fields
 * for values a topic did not carry.
 */
package dev.alignloop.monitor.api;
