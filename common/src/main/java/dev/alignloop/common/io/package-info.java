/**
 * Small file and hashing utilities shared by every module: {@link dev.alignloop.common.io.Sha256}
 * (hex SHA-256 of bytes, files and streams) and {@link dev.alignloop.common.io.AtomicFiles}
 * (crash-safe file writes and directory publication: temp + fsync + atomic rename).
 */
package dev.alignloop.common.io;
