package dev.alignloop.shapes.judge;

/**
 * The outcome of one attribute check.
 *
 * @param kind   what was checked
 * @param group  index of the prompt's object group it concerns, or -1 for scene-level checks
 *               (relation, background)
 * @param passed whether the image satisfies it
 * @param detail what was expected and what was found, for reports and debugging
 */
public record Check(CheckKind kind, int group, boolean passed, String detail) {
}
