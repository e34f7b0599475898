/** Test helpers for the streaming loops on the embedded broker. */
package dev.alignloop.streaming.testing;
