/**
 * Test fixtures shipped in the schemas test-jar: {@link dev.alignloop.schemas.testing.Samples}
 * builds one valid instance of every AlignLoop message.
 */
package dev.alignloop.schemas.testing;
