/**
 * The caption language of the embedded "shapes" world (DESIGN §5): a {@link
 * dev.alignloop.shapes.prompt.SceneSpec} model, the {@link dev.alignloop.shapes.prompt.PromptGrammar}
 * that writes canonical captions and parses them back, the train/held-out {@link
 * dev.alignloop.shapes.prompt.PromptSplit} (by construction), seeded sampling, prompt files, and
 * the {@link dev.alignloop.shapes.prompt.CaptionNoise} used to pretrain an imperfect base model.
 *
 * <p>The vocabulary is deliberately small: five colours, three shapes, two stated sizes, counts
 * one to three, four relations and two backgrounds. Every word was chosen so that the renderer
 * can draw it and the judge can detect it reliably at 32×32 pixels (colours at least ~25° apart
 * along their mixing lines with either background, shapes with well separated rectangularity).
 */
package dev.alignloop.shapes.prompt;
