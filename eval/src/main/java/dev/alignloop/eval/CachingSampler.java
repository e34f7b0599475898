package dev.alignloop.eval;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the images of a deterministic sampler by (prompt, seed). The gate compares every
 * candidate with the same baseline on the same prompts and seeds, so the baseline's images are
 * sampled once, not once per candidate. Only for samplers whose output is a function of
 * (prompt, seed) — as the diffusion pipeline's is.
 */
public final class CachingSampler implements ImageSampler {
    private record Key(String prompt, long seed) { }

    private final ImageSampler delegate;
    private final Map<Key, BufferedImage> cache = new ConcurrentHashMap<>();

    public CachingSampler(ImageSampler delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<BufferedImage> sample(List<String> prompts, long[] seeds) {
        List<String> missingPrompts = new ArrayList<>();
        List<Long> missingSeeds = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            if (!cache.containsKey(new Key(prompts.get(i), seeds[i]))) {
                missingPrompts.add(prompts.get(i));
                missingSeeds.add(seeds[i]);
            }
        }
        if (!missingPrompts.isEmpty()) {
            List<BufferedImage> fresh = delegate.sample(missingPrompts,
                    missingSeeds.stream().mapToLong(Long::longValue).toArray());
            for (int i = 0; i < fresh.size(); i++) {
                cache.put(new Key(missingPrompts.get(i), missingSeeds.get(i)), fresh.get(i));
            }
        }
        List<BufferedImage> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            out.add(cache.get(new Key(prompts.get(i), seeds[i])));
        }
        return out;
    }

    /** Images held. */
    public int size() {
        return cache.size();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Optional<String> validatePrompt(String prompt) {
        return delegate.validatePrompt(prompt);
    }
}
