package dev.alignloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BrokerCommandTest {

    @Test
    void secureFlagSelectsTheSecuredBroker() {
        BrokerCommand cmd = new BrokerCommand();
        new CommandLine(cmd).parseArgs("--secure", "--port", "0", "--data-dir", "/tmp/x");
        assertTrue(cmd.options().secure());
        assertEquals(0, cmd.options().port());
        assertEquals(Path.of("/tmp/x"), cmd.options().dataDir());
    }

    @Test
    void plainByDefault() {
        BrokerCommand cmd = new BrokerCommand();
        new CommandLine(cmd).parseArgs();
        assertFalse(cmd.options().secure());
        assertEquals(9092, cmd.options().port());
    }
}
