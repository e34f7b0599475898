/**
 * {@code alignloop demo}: starts the embedded broker, the services as child JVMs and the
 * dashboard, drives rounds of the loop and reports what the topics hold.
 */
package dev.alignloop.cli.demo;
