package dev.alignloop.shapes.prompt;

import java.util.Optional;

/**
 * A caption is not in the shapes grammar. The message names the prompt, the offending word and
 * its position, and (for unknown words) lists the vocabulary, so a user can fix the prompt
 * without reading the grammar source.
 */
public class PromptParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String prompt;
    private final String word;
    private final int position;

    /**
     * @param message  what was wrong, already naming prompt and word
     * @param prompt   the whole prompt as given
     * @param word     the offending word, or {@code null} when the prompt ended too early
     * @param position 0-based word index of the problem (the word count when it ended early)
     */
    public PromptParseException(String message, String prompt, String word, int position) {
        super(message);
        this.prompt = prompt;
        this.word = word;
        this.position = position;
    }

    /** The prompt as given. */
    public String prompt() {
        return prompt;
    }

    /** The offending word, empty when the prompt ended where a word was required. */
    public Optional<String> word() {
        return Optional.ofNullable(word);
    }

    /** 0-based word index of the problem. */
    public int position() {
        return position;
    }
}
