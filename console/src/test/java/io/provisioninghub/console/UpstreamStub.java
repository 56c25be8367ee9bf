package io.provisioninghub.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The registry and the audit log as the console's tests need them: one JDK HTTP server on a free
 * loopback port that records every request and answers canned bodies, the newest matching answer
 * first, with defaults for the calls every page makes.
 */
public final class UpstreamStub implements AutoCloseable {

  /** A request as it arrived. */
  public record Recorded(
      String method, String path, String query, String authorization, String body) {

    /** The bearer token it carried, or null. */
    public String bearer() {
      return authorization != null && authorization.startsWith("Bearer ")
          ? authorization.substring(7)
          : null;
    }
  }

  private record Answer(String method, Pattern path, int status, String contentType, String body) {}

  private final HttpServer server;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final List<Answer> answers = new CopyOnWriteArrayList<>();

  public UpstreamStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    reset();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Forgets every request and every answer but the defaults. */
  public void reset() {
    requests.clear();
    answers.clear();
    answer("GET", "/admin/v1/tenants/[^/]+/credentials", 200, "[]");
    answer(
        "GET",
        "/audit/v1/tenants/[^/]+/summary",
        200,
        "{\"total\":0,\"byStatus\":{},\"topFailureReasons\":[],\"failureRate\":0.0,"
            + "\"quarantineThreshold\":0.4,\"quarantineRisk\":false}");
    answer("GET", "/audit/v1/tenants/[^/]+/operations", 200, "{\"items\":[],\"nextCursor\":null}");
    answer("GET", "/audit/v1/tenants/[^/]+/operations/export", 200, "text/csv", "commandId\n");
  }

  /** Answers requests of this method whose path matches {@code pathRegex} with JSON. */
  public void answer(String method, String pathRegex, int status, String json) {
    answer(method, pathRegex, status, "application/json", json);
  }

  public void answer(String method, String pathRegex, int status, String contentType, String body) {
    answers.add(0, new Answer(method, Pattern.compile(pathRegex), status, contentType, body));
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** The requests whose path starts with this prefix. */
  public List<Recorded> requests(String method, String pathPrefix) {
    List<Recorded> matching = new ArrayList<>();
    for (Recorded r : requests) {
      if (r.method().equals(method) && r.path().startsWith(pathPrefix)) {
        matching.add(r);
      }
    }
    return matching;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(
        new Recorded(
            method,
            path,
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            body));
    Answer answer =
        answers.stream()
            .filter(a -> a.method().equals(method) && a.path().matcher(path).matches())
            .findFirst()
            .orElse(new Answer(method, null, 404, "application/json", "{\"status\":404}"));
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
