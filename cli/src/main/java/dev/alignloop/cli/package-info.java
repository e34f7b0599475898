/** The {@code alignloop} command line (picocli): thin commands that call into the library modules. */
package dev.alignloop.cli;
