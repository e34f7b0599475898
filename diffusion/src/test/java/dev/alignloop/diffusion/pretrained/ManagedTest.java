package dev.alignloop.diffusion.pretrained;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Test base: a fresh {@link NDManager} (closed after each test) and a temporary folder per test. */
public abstract class ManagedTest {
    /** A temporary folder, new for each test. */
    @TempDir
    protected Path dir;
    /** A base manager, new for each test. */
    protected NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }
}
