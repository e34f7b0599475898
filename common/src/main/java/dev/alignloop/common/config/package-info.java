/**
 * Typed configuration keys, Kafka style: each key is one {@link
 * dev.alignloop.common.config.ConfigKey} constant holding its name, type, default and doc, so
 * lookup (property name or environment variable), validation messages and README tables
 * ({@link dev.alignloop.common.config.ConfigDocs}) all come from one definition.
 */
package dev.alignloop.common.config;
