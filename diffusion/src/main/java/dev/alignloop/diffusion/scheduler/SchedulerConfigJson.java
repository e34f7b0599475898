package dev.alignloop.diffusion.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Reads and writes {@code scheduler_config.json} with diffusers v0.25.0's per-class defaults. */
final class SchedulerConfigJson {
    /** diffusers writes {@code -Infinity} (lambda_min_clipped) as a bare token, as Python's json does. */
    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final String VERSION = "0.25.0";

    private SchedulerConfigJson() {
    }

    static SchedulerConfig load(Path dirOrFile, SchedulerType type) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(SchedulerConfig.FILE_NAME) : dirOrFile;
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SchedulerConfigException(file + ": cannot read scheduler config: " + e.getMessage(), e);
        }
        return parse(json, file.toString(), type);
    }

    static SchedulerConfig parse(String json, String source, SchedulerType override) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SchedulerConfigException(source + ": not valid json: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SchedulerConfigException(source + ": a scheduler config must be a json object");
        }
        try {
            return read(new Values(root), override);
        } catch (UnsupportedConfigException e) {
            throw new UnsupportedConfigException(source + ": " + e.getMessage());
        } catch (SchedulerConfigException e) {
            throw new SchedulerConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private static SchedulerConfig read(Values v, SchedulerType override) {
        SchedulerType type = override;
        if (type == null) {
            String cls = v.text("_class_name", null);
            if (cls == null) {
                throw new SchedulerConfigException("scheduler config key '_class_name' is missing");
            }
            type = SchedulerType.forClassName(cls);
        }
        boolean ddpmOrDdim = type == SchedulerType.DDPM || type == SchedulerType.DDIM;
        TimestepSpacing spacing = ddpmOrDdim ? TimestepSpacing.LEADING : TimestepSpacing.LINSPACE;
        VarianceType variance = type == SchedulerType.DDPM ? VarianceType.FIXED_SMALL : null;
        String algorithm = v.text("algorithm_type", "dpmsolver++");
        if ("deis".equals(algorithm)) {
            algorithm = "dpmsolver++"; // DPMSolverMultistepScheduler.__init__ registers deis as dpmsolver++
        }
        String solver = v.text("solver_type", "midpoint");
        if (solver.equals("logrho") || solver.equals("bh1") || solver.equals("bh2")) {
            solver = "midpoint"; // likewise rewritten by __init__
        }
        return new SchedulerConfig(
                type,
                v.integer("num_train_timesteps", 1000),
                v.number("beta_start", 0.0001),
                v.number("beta_end", 0.02),
                v.option(BetaSchedule.class, "beta_schedule", BetaSchedule.LINEAR),
                v.numbers("trained_betas"),
                v.option(PredictionType.class, "prediction_type", PredictionType.EPSILON),
                v.option(TimestepSpacing.class, "timestep_spacing", spacing),
                v.integer("steps_offset", 0),
                v.bool("set_alpha_to_one", true),
                v.bool("clip_sample", true),
                v.number("clip_sample_range", 1.0),
                v.bool("thresholding", false),
                v.number("dynamic_thresholding_ratio", 0.995),
                v.number("sample_max_value", 1.0),
                v.bool("rescale_betas_zero_snr", false),
                v.option(VarianceType.class, "variance_type", variance),
                v.option(InterpolationType.class, "interpolation_type", InterpolationType.LINEAR),
                v.bool("use_karras_sigmas", false),
                v.nullableNumber("sigma_min"),
                v.nullableNumber("sigma_max"),
                v.option(TimestepType.class, "timestep_type", TimestepType.DISCRETE),
                ConfigValue.parse(AlgorithmType.class, "algorithm_type", algorithm),
                ConfigValue.parse(SolverType.class, "solver_type", solver),
                v.integer("solver_order", 2),
                v.bool("lower_order_final", true),
                v.bool("euler_at_final", false),
                v.bool("use_lu_lambdas", false),
                v.number("lambda_min_clipped", Double.NEGATIVE_INFINITY),
                v.option(FinalSigmasType.class, "final_sigmas_type", null));
    }

    /** Every key AlignLoop knows, with its value in {@code c}, json-encoded, sorted by key. */
    private static Map<String, String> allKeys(SchedulerConfig c) {
        Map<String, String> m = new TreeMap<>();
        m.put("algorithm_type", str(c.algorithmType()));
        m.put("beta_end", num(c.betaEnd()));
        m.put("beta_schedule", str(c.betaSchedule()));
        m.put("beta_start", num(c.betaStart()));
        m.put("clip_sample", Boolean.toString(c.clipSample()));
        m.put("clip_sample_range", num(c.clipSampleRange()));
        m.put("dynamic_thresholding_ratio", num(c.dynamicThresholdingRatio()));
        m.put("euler_at_final", Boolean.toString(c.eulerAtFinal()));
        m.put("final_sigmas_type", str(c.finalSigmasType()));
        m.put("interpolation_type", str(c.interpolationType()));
        m.put("lambda_min_clipped", num(c.lambdaMinClipped()));
        m.put("lower_order_final", Boolean.toString(c.lowerOrderFinal()));
        m.put("num_train_timesteps", Integer.toString(c.numTrainTimesteps()));
        m.put("prediction_type", str(c.predictionType()));
        m.put("rescale_betas_zero_snr", Boolean.toString(c.rescaleBetasZeroSnr()));
        m.put("sample_max_value", num(c.sampleMaxValue()));
        m.put("set_alpha_to_one", Boolean.toString(c.setAlphaToOne()));
        m.put("sigma_max", c.sigmaMax() == null ? "null" : num(c.sigmaMax()));
        m.put("sigma_min", c.sigmaMin() == null ? "null" : num(c.sigmaMin()));
        m.put("solver_order", Integer.toString(c.solverOrder()));
        m.put("solver_type", str(c.solverType()));
        m.put("steps_offset", Integer.toString(c.stepsOffset()));
        m.put("thresholding", Boolean.toString(c.thresholding()));
        m.put("timestep_spacing", str(c.timestepSpacing()));
        m.put("timestep_type", str(c.timestepType()));
        m.put("trained_betas", betas(c.trainedBetas()));
        m.put("use_karras_sigmas", Boolean.toString(c.useKarrasSigmas()));
        m.put("use_lu_lambdas", Boolean.toString(c.useLuLambdas()));
        m.put("variance_type", str(c.varianceType()));
        return m;
    }

    static String writeAllKeys(SchedulerConfig c) {
        Map<String, String> all = allKeys(c);
        all.put("_class_name", '"' + c.type().className() + '"');
        return format(new TreeMap<>(all));
    }

    /** Python's {@code json.dumps(config, indent=2, sort_keys=True) + "\n"} over the class's keys. */
    static String write(SchedulerConfig c) {
        Map<String, String> all = allKeys(c);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("_class_name", '"' + c.type().className() + '"');
        out.put("_diffusers_version", '"' + VERSION + '"');
        for (Map.Entry<String, String> e : all.entrySet()) {
            boolean extra = e.getKey().equals("final_sigmas_type") && c.finalSigmasType() != null
                    && c.type() == SchedulerType.DPM_SOLVER_MULTISTEP;
            if (c.type().uses(e.getKey()) || extra) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return format(out);
    }

    private static String format(Map<String, String> entries) {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            sb.append("  \"").append(e.getKey()).append("\": ").append(e.getValue());
            sb.append(++i < entries.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    static Path save(SchedulerConfig c, Path dir) {
        Path file = dir.resolve(SchedulerConfig.FILE_NAME);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, SchedulerConfig.FILE_NAME, ".tmp");
            Files.writeString(tmp, write(c), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SchedulerConfigException(file + ": cannot write scheduler config: " + e.getMessage(), e);
        }
        return file;
    }

    private static String str(ConfigValue v) {
        return v == null ? "null" : '"' + v.value() + '"';
    }

    /** Shortest decimal that reads back as {@code x} (as Python's repr), always with a fraction or exponent. */
    private static String num(double x) {
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        BigDecimal bd = BigDecimal.valueOf(x).stripTrailingZeros();
        if (bd.scale() <= 0 && bd.precision() - bd.scale() <= 16) {
            bd = bd.setScale(1);
        }
        return bd.toString();
    }

    private static String betas(double[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < b.length; i++) {
            sb.append("    ").append(num(b[i])).append(i + 1 < b.length ? ",\n" : "\n");
        }
        return sb.append("  ]").toString();
    }

    /** Typed access to the json object; a null or missing key takes the default. */
    private record Values(JsonNode root) {
        private JsonNode get(String key) {
            JsonNode n = root.get(key);
            return n == null || n.isNull() ? null : n;
        }

        private SchedulerConfigException wrong(String key, JsonNode n, String expected) {
            return new SchedulerConfigException("scheduler config key '" + key + "' has value " + n + "; expected "
                    + expected);
        }

        String text(String key, String def) {
            JsonNode n = get(key);
            if (n == null) {
                return def;
            }
            if (!n.isTextual()) {
                throw wrong(key, n, "a string");
            }
            return n.asText();
        }

        int integer(String key, int def) {
            JsonNode n = get(key);
            if (n == null) {
                return def;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw wrong(key, n, "an integer");
            }
            return n.intValue();
        }

        double number(String key, double def) {
            Double d = nullableNumber(key);
            return d == null ? def : d;
        }

        Double nullableNumber(String key) {
            JsonNode n = get(key);
            if (n == null) {
                return null;
            }
            if (!n.isNumber()) {
                throw wrong(key, n, "a number");
            }
            return n.doubleValue();
        }

        boolean bool(String key, boolean def) {
            JsonNode n = get(key);
            if (n == null) {
                return def;
            }
            if (!n.isBoolean()) {
                throw wrong(key, n, "true or false");
            }
            return n.booleanValue();
        }

        double[] numbers(String key) {
            JsonNode n = get(key);
            if (n == null) {
                return null;
            }
            if (!n.isArray()) {
                throw wrong(key, n, "null or a list of numbers");
            }
            double[] out = new double[n.size()];
            for (int i = 0; i < out.length; i++) {
                if (!n.get(i).isNumber()) {
                    throw wrong(key, n.get(i), "numbers in the list");
                }
                out[i] = n.get(i).doubleValue();
            }
            return out;
        }

        <E extends Enum<E> & ConfigValue> E option(Class<E> type, String key, E def) {
            String s = text(key, null);
            return s == null ? def : ConfigValue.parse(type, key, s);
        }
    }
}
