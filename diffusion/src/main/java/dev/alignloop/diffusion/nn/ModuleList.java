package dev.alignloop.diffusion.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * {@code nn.ModuleList}: children named "0", "1", ... so paths read {@code resnets.0.conv1.weight}.
 *
 * @param <M> the element type
 */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    /** Appends {@code module} under the next index name and returns it. */
    public <T extends M> T add(T module) {
        register(Integer.toString(items.size()), module);
        items.add(module);
        return module;
    }

    /** The element at {@code index}. */
    public M get(int index) {
        return items.get(index);
    }

    /** Number of elements. */
    public int size() {
        return items.size();
    }

    /** Whether the list is empty. */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Read-only view of the elements. */
    public List<M> asList() {
        return Collections.unmodifiableList(items);
    }

    @Override
    public Iterator<M> iterator() {
        return asList().iterator();
    }
}
