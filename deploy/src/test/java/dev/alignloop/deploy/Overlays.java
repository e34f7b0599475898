package dev.alignloop.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the manifests are, and each overlay rendered. */
final class Overlays {

  /** The overlays a user applies. */
  static final List<String> NAMES = List.of("dev", "prod");

  private Overlays() {}

  /** {@code deploy/} of this checkout (tests run with the module as working directory). */
  static Path deployDir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p : List.of(here, here.resolve("deploy"))) {
      if (Files.isDirectory(p.resolve("overlays")) && Files.isDirectory(p.resolve("base"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find deploy/overlays from " + here);
  }

  static Path overlay(String name) {
    return deployDir().resolve("overlays").resolve(name);
  }

  static List<ObjectNode> render(String name) {
    return Kustomize.render(overlay(name));
  }

  /** The repository root (for the services' application.yml). */
  static Path repoRoot() {
    return deployDir().getParent();
  }
}
