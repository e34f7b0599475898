/** {@code alignloop prompts}: prompt sources (files, JSON Lines) produced to {@code alignloop.prompts}. */
package dev.alignloop.cli.prompts;
