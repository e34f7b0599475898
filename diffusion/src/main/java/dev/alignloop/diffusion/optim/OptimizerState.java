package dev.alignloop.diffusion.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-parameter optimizer state: for each parameter name, a map from state name ({@code exp_avg},
 * {@code step}, ...) to tensor, all owned by one manager. Flattened to {@code <state>.<param>}.
 */
final class OptimizerState implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, Map<String, NDArray>> byParam = new TreeMap<>();

    OptimizerState(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    NDManager manager() {
        return manager;
    }

    Map<String, NDArray> get(String param) {
        return byParam.get(param);
    }

    Map<String, NDArray> create(String param) {
        Map<String, NDArray> s = new LinkedHashMap<>();
        byParam.put(param, s);
        return s;
    }

    /**
     * Takes ownership of a state array: it must outlive any {@link NDScope} the caller of
     * {@code step} has open.
     */
    NDArray keep(NDArray a) {
        NDScope.unregister(a);
        return a;
    }

    Map<String, NDArray> flatten() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        byParam.forEach((param, states) -> states.forEach((k, v) -> out.put(k + "." + param, v)));
        return out;
    }

    /** Loads a flattened dict; every key must start with one of {@code stateNames} followed by a dot. */
    void load(Map<String, NDArray> flat, String... stateNames) {
        Map<String, Map<String, NDArray>> next = new TreeMap<>();
        for (Map.Entry<String, NDArray> e : flat.entrySet()) {
            String key = e.getKey();
            String state = null;
            for (String s : stateNames) {
                if (key.startsWith(s + ".") && (state == null || s.length() > state.length())) {
                    state = s;
                }
            }
            if (state == null) {
                throw new IllegalArgumentException("unknown optimizer state entry '" + key + "'");
            }
            String param = key.substring(state.length() + 1);
            NDArray copy = e.getValue().duplicate();
            copy.attach(manager);
            keep(copy);
            next.computeIfAbsent(param, p -> new LinkedHashMap<>()).put(state, copy);
        }
        clear();
        byParam.putAll(next);
    }

    void clear() {
        byParam.values().forEach(m -> m.values().forEach(NDArray::close));
        byParam.clear();
    }

    static long step(Map<String, NDArray> state) {
        return state.get("step").toType(DataType.INT64, false).getLong();
    }

    void setStep(Map<String, NDArray> state, long step) {
        NDArray old = state.put("step", keep(manager.create(step)));
        if (old != null) {
            old.close();
        }
    }

    @Override
    public void close() {
        clear();
        manager.close();
    }
}
