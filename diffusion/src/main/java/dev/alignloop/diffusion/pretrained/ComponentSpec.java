package dev.alignloop.diffusion.pretrained;

/**
 * One component entry of {@code model_index.json}: {@code "unet": ["diffusers", "UNet2DConditionModel"]}.
 * diffusers writes {@code [null, null]} for optional components that are absent (e.g. a disabled
 * {@code safety_checker}); both fields are then null and {@link #isPresent()} is false.
 *
 * @param library the Python library ({@code diffusers}, {@code transformers}), or null
 * @param className the class in that library ({@code AutoencoderKL}, {@code CLIPTextModel}), or null
 */
public record ComponentSpec(String library, String className) {
    /** The entry diffusers writes for an absent optional component. */
    public static final ComponentSpec ABSENT = new ComponentSpec(null, null);

    /** Validates that library and class are both set or both null. */
    public ComponentSpec {
        if ((library == null) != (className == null)) {
            throw new ConfigException("component entry [" + library + ", " + className
                    + "]: library and class must both be set or both be null");
        }
    }

    /** {@code ["diffusers", className]}. */
    public static ComponentSpec diffusers(String className) {
        return new ComponentSpec("diffusers", className);
    }

    /** {@code ["transformers", className]}. */
    public static ComponentSpec transformers(String className) {
        return new ComponentSpec("transformers", className);
    }

    /** Whether the component exists (not {@code [null, null]}). */
    public boolean isPresent() {
        return className != null;
    }
}
