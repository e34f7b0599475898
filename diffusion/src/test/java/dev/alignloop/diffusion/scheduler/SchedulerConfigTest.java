package dev.alignloop.diffusion.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerConfigTest {
    @TempDir
    Path tmp;

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void savedConfigHasTheSameKeysAndValuesAsDiffusers() throws IOException {
        for (String c : List.of("ddim-sd", "ddpm-noise-sd")) {
            Path dir = ParityAssert.caseDir(c).resolve("scheduler");
            SchedulerConfig config = SchedulerConfig.load(dir);
            Path saved = config.save(tmp.resolve(c));
            ObjectMapper om = new ObjectMapper();
            JsonNode original = om.readTree(dir.resolve(SchedulerConfig.FILE_NAME).toFile());
            JsonNode written = om.readTree(saved.toFile());
            assertEquals(keys(original), keys(written), c + " keys in diffusers' order");
            assertEquals(original, written, c + " values");
            assertEquals(config, SchedulerConfig.load(saved));
        }
    }

    @Test
    void missingKeysTakeTheClassDefaults() {
        SchedulerConfig euler = SchedulerConfig.parse("{\"_class_name\": \"EulerDiscreteScheduler\"}");
        assertEquals(TimestepSpacing.LINSPACE, euler.timestepSpacing());
        assertEquals(BetaSchedule.LINEAR, euler.betaSchedule());
        assertEquals(0.0001, euler.betaStart());
        SchedulerConfig ddim = SchedulerConfig.parse("{\"_class_name\": \"DDIMScheduler\"}");
        assertEquals(TimestepSpacing.LEADING, ddim.timestepSpacing());
        assertTrue(ddim.clipSample());
        assertTrue(ddim.setAlphaToOne());
        SchedulerConfig ddpm = SchedulerConfig.parse("{\"_class_name\": \"DDPMScheduler\"}");
        assertEquals(VarianceType.FIXED_SMALL, ddpm.varianceType());
        SchedulerConfig dpm = SchedulerConfig.parse("{\"_class_name\": \"DPMSolverMultistepScheduler\"}");
        assertNull(dpm.varianceType());
        assertEquals(2, dpm.solverOrder());
        assertEquals(AlgorithmType.DPMSOLVER_PLUS_PLUS, dpm.algorithmType());
        assertEquals(Double.NEGATIVE_INFINITY, dpm.lambdaMinClipped());
        assertTrue(dpm.toJson().contains("\"lambda_min_clipped\": -Infinity"));
        assertEquals(dpm, SchedulerConfig.parse(dpm.toJson()));
    }

    @Test
    void unknownClassAndValuesAreRejectedNamingKeyAndValue() {
        UnsupportedConfigException cls = assertThrows(UnsupportedConfigException.class,
                () -> SchedulerConfig.parse("{\"_class_name\": \"PNDMScheduler\"}"));
        assertTrue(cls.getMessage().contains("_class_name") && cls.getMessage().contains("PNDMScheduler"), cls.getMessage());
        SchedulerConfigException v = assertThrows(SchedulerConfigException.class,
                () -> SchedulerConfig.parse("{\"_class_name\": \"DDIMScheduler\", \"prediction_type\": \"flow\"}"));
        assertTrue(v.getMessage().contains("prediction_type") && v.getMessage().contains("flow"), v.getMessage());
        SchedulerConfigException spacing = assertThrows(SchedulerConfigException.class,
                () -> SchedulerConfig.parse("{\"_class_name\": \"DDIMScheduler\", \"timestep_spacing\": \"middle\"}"));
        assertTrue(spacing.getMessage().contains("timestep_spacing") && spacing.getMessage().contains("middle"));
        SchedulerConfigException type = assertThrows(SchedulerConfigException.class,
                () -> SchedulerConfig.parse("{\"_class_name\": \"DDIMScheduler\", \"num_train_timesteps\": \"x\"}"));
        assertTrue(type.getMessage().contains("num_train_timesteps"), type.getMessage());
        UnsupportedConfigException sde = assertThrows(UnsupportedConfigException.class, () -> SchedulerConfig.parse(
                "{\"_class_name\": \"DPMSolverMultistepScheduler\", \"algorithm_type\": \"sde-dpmsolver++\"}"));
        assertTrue(sde.getMessage().contains("algorithm_type") && sde.getMessage().contains("sde-dpmsolver++"));
        SchedulerConfigException sigmoid = assertThrows(SchedulerConfigException.class, () -> SchedulerConfig.parse(
                "{\"_class_name\": \"EulerDiscreteScheduler\", \"beta_schedule\": \"sigmoid\"}"));
        assertTrue(sigmoid.getMessage().contains("beta_schedule"));
        SchedulerConfigException betas = assertThrows(SchedulerConfigException.class, () -> SchedulerConfig.parse(
                "{\"_class_name\": \"DDIMScheduler\", \"num_train_timesteps\": 3, \"trained_betas\": [0.1, 0.2]}"));
        assertTrue(betas.getMessage().contains("trained_betas"), betas.getMessage());
        assertThrows(SchedulerConfigException.class, () -> SchedulerConfig.parse(
                "{\"_class_name\": \"DPMSolverMultistepScheduler\", \"solver_order\": 4}"));
    }

    @Test
    void fileErrorsNameTheFile() throws IOException {
        Path bad = tmp.resolve("scheduler");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve(SchedulerConfig.FILE_NAME), "{\"_class_name\": \"DDIMScheduler\", \"beta_end\": true}");
        SchedulerConfigException e = assertThrows(SchedulerConfigException.class, () -> Schedulers.fromConfig(bad));
        assertTrue(e.getMessage().contains(SchedulerConfig.FILE_NAME) && e.getMessage().contains("beta_end"), e.getMessage());
        assertThrows(SchedulerConfigException.class, () -> Schedulers.fromConfig(tmp.resolve("missing")));
    }

    @Test
    void diffusersRewritesAreApplied() {
        SchedulerConfig c = SchedulerConfig.parse("{\"_class_name\": \"DPMSolverMultistepScheduler\","
                + " \"algorithm_type\": \"deis\", \"solver_type\": \"logrho\"}");
        assertEquals(AlgorithmType.DPMSOLVER_PLUS_PLUS, c.algorithmType());
        assertEquals(SolverType.MIDPOINT, c.solverType());
    }

    @Test
    void withTypeConvertsLikeFromConfig() {
        SchedulerConfig ddim = SchedulerConfig.load(ParityAssert.caseDir("ddim-sd").resolve("scheduler"));
        SchedulerConfig euler = ddim.withType(SchedulerType.EULER_DISCRETE);
        assertEquals(SchedulerType.EULER_DISCRETE, euler.type());
        assertEquals(TimestepSpacing.LEADING, euler.timestepSpacing()); // carried over, not Euler's linspace default
        assertEquals(1, euler.stepsOffset());
        assertEquals(BetaSchedule.SCALED_LINEAR, euler.betaSchedule());
        assertFalse(euler.useKarrasSigmas());
        assertInstanceOf(EulerDiscreteScheduler.class, Schedulers.create(euler));
        assertTrue(euler.toJson().startsWith("{\n  \"_class_name\": \"EulerDiscreteScheduler\",\n  \"_diffusers_version\""));
        assertFalse(euler.toJson().contains("set_alpha_to_one"), "Euler does not register set_alpha_to_one");
        SchedulerConfig asDdim = SchedulerConfig.load(ParityAssert.caseDir("ddpm-noise-sd").resolve("scheduler"),
                SchedulerType.DDIM);
        assertTrue(asDdim.setAlphaToOne(), "absent from the DDPM file: DDIM's default");
    }

    @Test
    void finalSigmasTypeIsKeptOnlyWhenPresent() {
        SchedulerConfig plain = SchedulerConfig.parse("{\"_class_name\": \"DPMSolverMultistepScheduler\"}");
        assertFalse(plain.toJson().contains("final_sigmas_type"));
        SchedulerConfig zero = SchedulerConfig.parse(
                "{\"_class_name\": \"DPMSolverMultistepScheduler\", \"final_sigmas_type\": \"zero\"}");
        assertTrue(zero.toJson().contains("\"final_sigmas_type\": \"zero\""));
        assertThrows(SchedulerConfigException.class, () -> SchedulerConfig.parse("{\"_class_name\":"
                + " \"DPMSolverMultistepScheduler\", \"final_sigmas_type\": \"zero\", \"algorithm_type\": \"dpmsolver\"}"));
    }
}
