/**
 * Image boundaries: strict PNG encode/decode that names what is wrong with a file (truncated,
 * corrupt chunk, wrong size or colour mode) before any service uses its pixels.
 */
package dev.alignloop.common.image;
