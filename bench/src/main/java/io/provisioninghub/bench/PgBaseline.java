package io.provisioninghub.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the database alone does on this machine right now: single-row, auto-committed, durable
 * inserts of a JSONB row from {@code connections} clients, the unit of work under every SCIM write.
 */
final class PgBaseline {

  private PgBaseline() {}

  static double insertsPerSecond(Workloads.Stack stack, int connections, long seconds)
      throws Exception {
    try (Connection c = stack.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "create table if not exists public.bench_baseline"
              + " (id uuid primary key, tenant_id text not null, doc jsonb not null)");
      s.execute("truncate public.bench_baseline");
    }
    LongAdder inserts = new LongAdder();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Thread t =
          new Thread(
              () -> {
                try (Connection c = stack.connect();
                    PreparedStatement p =
                        c.prepareStatement(
                            "insert into public.bench_baseline (id, tenant_id, doc) values (?, ?, cast(? as jsonb))")) {
                  while (System.nanoTime() < end) {
                    p.setObject(1, UUID.randomUUID());
                    p.setString(2, "baseline");
                    p.setString(3, "{\"userName\":\"someone@example.com\",\"active\":true}");
                    p.executeUpdate();
                    inserts.increment();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    try (Connection c = stack.connect();
        Statement s = c.createStatement()) {
      s.execute("drop table public.bench_baseline");
    }
    return Stats.round(inserts.sum() / (double) seconds);
  }
}
