package dev.alignloop.broker.security;

import dev.alignloop.broker.BrokerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * SCRAM passwords of the secured embedded broker: the super user {@value #ADMIN} (inter-broker
 * traffic, topic creation) and one per {@link ServicePrincipal}. Generated at random on the
 * first secure start and kept in {@code <dataDir>/}{@value #FILE_NAME} (owner read/write only
 * where the file system supports it), so restarts keep them and local services can read them.
 */
public final class BrokerCredentials {

  /** The broker's super user. */
  public static final String ADMIN = "admin";
  /** File name under the broker's data dir. */
  public static final String FILE_NAME = "credentials.properties";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final Map<String, String> passwords;

  private BrokerCredentials(Path file, Map<String, String> passwords) {
    this.file = file;
    this.passwords = Map.copyOf(passwords);
  }

  /** Where the credentials of a broker with this data dir live. */
  public static Path file(Path dataDir) {
    return dataDir.toAbsolutePath().resolve(FILE_NAME);
  }

  /**
   * Reads the credentials file, adding a password for every principal it lacks (a principal
   * added to {@link ServiceAcls} after the first start), or creates it.
   *
   * @throws BrokerException if the file cannot be read or written
   */
  public static BrokerCredentials loadOrCreate(Path dataDir, List<ServicePrincipal> principals) {
    Path file = file(dataDir);
    Map<String, String> passwords = new LinkedHashMap<>();
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new BrokerException("cannot read " + file + ": " + e.getMessage(), e);
      }
      p.stringPropertyNames().forEach(k -> passwords.put(k, p.getProperty(k)));
      if (!passwords.containsKey(ADMIN)) {
        throw new BrokerException(file + " has no '" + ADMIN + "' password; delete the data dir to start over");
      }
    }
    boolean changed = passwords.putIfAbsent(ADMIN, newPassword()) == null;
    for (ServicePrincipal principal : principals) {
      changed |= passwords.putIfAbsent(principal.name(), newPassword()) == null;
    }
    if (changed) {
      write(file, passwords);
    }
    return new BrokerCredentials(file, passwords);
  }

  /** The file the passwords are kept in. */
  public Path file() {
    return file;
  }

  /** Every user name, admin included. */
  public Set<String> users() {
    return passwords.keySet();
  }

  /**
   * The password of {@code user}.
   *
   * @throws IllegalArgumentException naming the user if there is none
   */
  public String password(String user) {
    String password = passwords.get(user);
    if (password == null) {
      throw new IllegalArgumentException("no credentials for user '" + user + "' in " + file + "; known: " + users());
    }
    return password;
  }

  // 128 random bits, hex: no character needs quoting in JAAS, properties or StorageTool's
  // --add-scram syntax.
  private static String newPassword() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void write(Path file, Map<String, String> passwords) {
    Properties p = new Properties();
    p.putAll(passwords);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp); // not a POSIX file system
      } catch (FileAlreadyExistsException e) {
        throw new BrokerException("another process is writing " + tmp, e);
      }
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, "SCRAM-SHA-512 passwords of the secured embedded broker (alignloop broker --secure)");
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new BrokerException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
