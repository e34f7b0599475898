/**
 * Claim-check blob storage for images and checkpoint files: pixels and weights never travel
 * through Kafka; messages carry a {@link dev.alignloop.common.blob.StoredBlob}'s URI and SHA-256.
 *
 * <p>Blobs are content-addressed: the key is {@code <first 2 hex>/<sha256>.<ext>} (the 2-char
 * fan-out keeps directories and S3 listings small), so a put of the same content is idempotent
 * and returns the same URI. Every read verifies the SHA-256 and throws {@link
 * dev.alignloop.common.blob.BlobIntegrityException} rather than return bytes that do not match.
 * Backends: {@link dev.alignloop.common.blob.FileBlobStore} ({@code file:} URIs) and {@link
 * dev.alignloop.common.blob.S3BlobStore} ({@code s3://}, AWS or S3-compatible servers such as
 * MinIO); {@link dev.alignloop.common.blob.BlobStores#open} picks one from a base URI.
 */
package dev.alignloop.common.blob;
