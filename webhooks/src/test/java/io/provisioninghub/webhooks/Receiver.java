package io.provisioninghub.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver on 127.0.0.1 for the tests: records every request, answers with the next
 * planned status (200 once the plan is spent), can hang one request past the sender's timeout, and
 * can be stopped and started again on the same port.
 */
final class Receiver implements AutoCloseable {

  /** A request as received. */
  record Received(String id, String timestamp, String signature, String body, int answered) {}

  final List<Received> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> plan = new ConcurrentLinkedQueue<>();
  private final CountDownLatch never = new CountDownLatch(1);
  private volatile int hangs;
  private final int port;
  private HttpServer server;

  Receiver() throws IOException {
    this(0);
  }

  private Receiver(int port) throws IOException {
    server = start(port);
    this.port = server.getAddress().getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  /** The next requests are answered with these statuses, in order. */
  void answer(Integer... statuses) {
    plan.addAll(List.of(statuses));
  }

  /** Forgets the planned statuses: 200 from now on. */
  void clearPlan() {
    plan.clear();
  }

  /** The next {@code n} requests get no answer until the sender gives up on them. */
  void hang(int n) {
    hangs = n;
  }

  /** Ids of the requests answered 2xx, in the order they were accepted. */
  List<String> accepted() {
    return requests.stream().filter(r -> r.answered() / 100 == 2).map(Received::id).toList();
  }

  void stop() {
    server.stop(0);
  }

  void restart() throws IOException {
    server = start(port);
  }

  @Override
  public void close() {
    never.countDown();
    server.stop(0);
  }

  private HttpServer start(int on) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 0);
    s.createContext("/hook", this::handle);
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.start();
    return s;
  }

  private synchronized int next() {
    Integer planned = plan.poll();
    return planned == null ? 200 : planned;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, List<String>> h = exchange.getRequestHeaders();
    if (hangs > 0) {
      hangs--;
      try {
        never.await(30, TimeUnit.SECONDS); // the sender's response timeout ends it first
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    int status = next();
    requests.add(
        new Received(
            exchange.getRequestHeaders().getFirst("webhook-id"),
            exchange.getRequestHeaders().getFirst("webhook-timestamp"),
            exchange.getRequestHeaders().getFirst("webhook-signature"),
            body,
            status));
    byte[] reply =
        ("{\"got\":\"" + h.getOrDefault("webhook-id", List.of("")).get(0) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, reply.length);
    exchange.getResponseBody().write(reply);
    exchange.close();
  }
}
