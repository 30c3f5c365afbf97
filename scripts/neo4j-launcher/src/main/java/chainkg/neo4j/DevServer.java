package chainkg.neo4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * A Neo4j 5.26 Community DBMS for development and CI: the embedded DBMS with the Bolt
 * connector on 127.0.0.1, authentication on, and the password of the {@code neo4j} user
 * set from the environment. Started and stopped by scripts/neo4j-dev-server.
 *
 * <p>Usage: {@code DevServer --home DIR --port N --ready-file FILE [--pagecache SIZE]},
 * with the password in the environment variable NEO4J_PASSWORD (not on the command line,
 * where {@code ps} would show it).
 */
public final class DevServer {

    private static final String HOST = "127.0.0.1";
    private static final int MIN_PASSWORD_LENGTH = 8;
    /** Kept in data/, beside the system database it describes, so it goes when the data goes. */
    static final String PASSWORD_MARKER = "chainkg-password.sha256";

    private DevServer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parseOptions(args);
        Path home = Path.of(require(options, "home")).toAbsolutePath();
        int port = Integer.parseInt(require(options, "port"));
        Path readyFile = Path.of(require(options, "ready-file")).toAbsolutePath();
        long pagecacheBytes = parseSize(options.getOrDefault("pagecache", "1g"));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            fail("NEO4J_PASSWORD must be set and at least " + MIN_PASSWORD_LENGTH
                    + " characters long (Neo4j's minimum); got "
                    + (password == null ? "nothing" : password.length() + " characters"));
        }
        Files.deleteIfExists(readyFile);

        log("starting Neo4j Community (home " + home + ", bolt " + HOST + ":" + port + ")");
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecacheBytes)
                // Not 2 x 256 MiB of preallocated transaction logs for a dev database.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // A dev server sends nothing home.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // The databases are closed before Bolt; the default 5 s + 5 s waits only slow stop.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping");
            try {
                Files.deleteIfExists(readyFile);
            } catch (IOException ignored) {
                // The script also removes it; a leftover file is harmless once the pid is gone.
            }
            dbms.shutdown();
            log("stopped");
            stopped.countDown();
        }, "chainkg-neo4j-shutdown"));

        setPassword(dbms, home, password);
        writeReadyFile(readyFile, port);
        log("ready: bolt://" + HOST + ":" + port + " (user neo4j)");
        stopped.await();
    }

    /**
     * Makes NEO4J_PASSWORD the password of neo4j. A digest of the last password set is kept
     * beside the data, so a normal start skips the admin command (its first Cypher
     * compilation costs seconds on a small machine).
     */
    private static void setPassword(DatabaseManagementService dbms, Path home, String password)
            throws IOException {
        Path marker = home.resolve("data").resolve(PASSWORD_MARKER);
        String digest = sha256("chainkg-neo4j:" + password);
        if (Files.exists(marker) && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(digest)) {
            log("password of user neo4j unchanged since the last start");
            return;
        }
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
            log("password of user neo4j set from NEO4J_PASSWORD");
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one it already has: nothing to do.
            if (!messageChain(e).contains("Old password and new password cannot be the same")) {
                throw e;
            }
            log("password of user neo4j already matches NEO4J_PASSWORD");
        }
        Files.writeString(marker, digest + "\n", StandardCharsets.UTF_8);
    }

    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static String messageChain(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static void writeReadyFile(Path readyFile, int port) throws IOException {
        Path temporary = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
        String content = "pid=" + ProcessHandle.current().pid() + "\nuri=bolt://" + HOST + ":" + port + "\n";
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                fail("expected --name value pairs, got: " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            fail("missing option --" + name);
        }
        return value;
    }

    /** Parses sizes such as 512m, 1g, 2G (the units Neo4j's own settings use). */
    static long parseSize(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        char unit = value.charAt(value.length() - 1);
        if (Character.isDigit(unit)) {
            return Long.parseLong(value);
        }
        long number = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (unit) {
            case 'k' -> ByteUnit.kibiBytes(number);
            case 'm' -> ByteUnit.mebiBytes(number);
            case 'g' -> ByteUnit.gibiBytes(number);
            default -> {
                fail("size must be a number with k, m or g, got: " + text);
                yield 0L;
            }
        };
    }

    private static void log(String message) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [chainkg-neo4j] " + message);
        System.out.flush();
    }

    private static void fail(String message) {
        System.err.println("[chainkg-neo4j] error: " + message);
        System.exit(2);
    }
}
