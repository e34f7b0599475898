/**
 * Avro records of AlignLoop, generated at build time from {@code schemas/src/main/avro/*.avsc}
 * (string fields are {@code java.lang.String}, timestamps are {@code java.time.Instant}).
 * Do not edit the generated classes; edit the schema, then add its next history version.
 */
package dev.alignloop.schemas.avro;
