package org.infoops.neo4jserver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Runs a Neo4j 5 Community DBMS with a Bolt connector from the published jars: the embedded
 * DatabaseManagementService, configured from HOME/conf/neo4j.conf (written by
 * scripts/neo4j-server.sh), with its data under HOME/data.
 *
 * Why the embedded DBMS and not the server entry point: it needs only neo4j + neo4j-bolt, opens
 * no HTTP listener at all (nothing to switch off), and lets this launcher set the password
 * through the system database before the Bolt port accepts a login.
 *
 * Usage: Launcher HOME. The password is read from HOME/password (never from the command line,
 * where `ps` would show it). HOME/ready is written once the default database answers `RETURN 1`;
 * SIGTERM shuts the DBMS down cleanly (the shutdown hook) and removes HOME/ready.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Launcher HOME");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path ready = home.resolve("ready");
        Files.deleteIfExists(ready);
        String password = Files.readString(home.resolve("password"), StandardCharsets.UTF_8).strip();

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(home.resolve("conf").resolve("neo4j.conf"))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
            } catch (Exception ignored) {
                // the file is advisory; the shutdown matters more
            }
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));

        // The system database bypasses authentication from inside the process: set the password
        // (idempotent) so that the generated one kept in HOME is the only way in over Bolt.
        try {
            setPassword(dbms.database("system"), password);
            dbms.database("neo4j").executeTransactionally("RETURN 1");
        } catch (RuntimeException e) {
            // Neo4j's own threads would keep the JVM alive: fail the whole process.
            e.printStackTrace();
            System.exit(1);
        }
        Path tmp = home.resolve("ready.tmp");
        Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
        Files.move(tmp, ready, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("neo4j-server: ready");
        stopped.await();
    }

    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (QueryExecutionException e) {
            // A restart with the same password: Neo4j refuses to "change" it to itself.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }
}
