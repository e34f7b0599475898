package dev.alignloop.diffusion.scheduler;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum constant spelled in {@code scheduler_config.json} as {@link #value()}. */
public interface ConfigValue {
    /** @return the spelling in {@code scheduler_config.json} */
    String value();

    /**
     * Parses a config string into the enum constant spelled that way.
     *
     * @param type the enum
     * @param key the config key (for the error message)
     * @param value the spelling in the file
     * @param <E> the enum type
     * @return the constant
     * @throws SchedulerConfigException naming key, value and the accepted spellings
     */
    static <E extends Enum<E> & ConfigValue> E parse(Class<E> type, String key, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.value().equals(value)) {
                return e;
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants())
                .map(e -> '"' + e.value() + '"')
                .collect(Collectors.joining(", "));
        throw new SchedulerConfigException(
                "scheduler config key '" + key + "' has unknown value \"" + value + "\"; expected one of " + accepted);
    }
}
