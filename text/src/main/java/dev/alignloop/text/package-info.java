/**
 * Text tokenizers shared by the CLIP text encoder ({@code diffusion}) and the ONNX reward scorer
 * ({@code reward}), reading Hugging Face tokenizer files so users can bring their own models.
 *
 * <ul>
 *   <li>{@link dev.alignloop.text.ClipTokenizer}: OpenAI CLIP byte-level BPE, as transformers'
 *       {@code CLIPTokenizer}, from {@code vocab.json} + {@code merges.txt} or a {@code
 *       tokenizer.json} of model type BPE.
 *   <li>{@link dev.alignloop.text.WordLevelTokenizer}: a word-level vocabulary ({@code
 *       tokenizer.json} model type WordLevel), read and written, for the small "shapes" world.
 *   <li>{@link dev.alignloop.text.Tokenizers#load} picks one from the files in a directory.
 * </ul>
 *
 * All produce an {@link dev.alignloop.text.Encoding} (input ids + attention mask) padded and
 * truncated to a fixed length, the form text encoders and ONNX graphs take.
 */
package dev.alignloop.text;
