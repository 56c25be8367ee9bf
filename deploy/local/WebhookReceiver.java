// A webhook receiver for trying ProvisioningHub's webhooks locally (README, "Consuming provisioning
// in your application"). Run with the JDK alone, no build:
//
//   java deploy/local/WebhookReceiver.java <port> <secret>
//
// It listens on 127.0.0.1:<port>, checks each delivery's Standard Webhooks signature with the
// endpoint's secret (whsec_...), prints "verified <webhook-id> <type> <subject>" and the body, and
// answers 204; a delivery whose signature does not verify, or whose timestamp is more than five
// minutes off, is printed as REFUSED and answered 401 (the sender retries it).
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class WebhookReceiver {

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[1].startsWith("whsec_")) {
      System.err.println("usage: java WebhookReceiver.java <port> <whsec_secret>");
      System.exit(2);
    }
    byte[] key = Base64.getDecoder().decode(args[1].substring("whsec_".length()));
    HttpServer server =
        HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
    server.createContext(
        "/",
        exchange -> {
          String id = exchange.getRequestHeaders().getFirst("webhook-id");
          String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
          String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          boolean ok = verifies(key, id, timestamp, signatures, body);
          System.out.println(
              (ok ? "verified " : "REFUSED ") + id + " " + field(body, "type") + " "
                  + field(body, "subject"));
          System.out.println(body);
          System.out.flush();
          exchange.sendResponseHeaders(ok ? 204 : 401, -1);
          exchange.close();
        });
    server.start();
    System.out.println("listening on http://127.0.0.1:" + args[0] + "/");
    System.out.flush();
  }

  static boolean verifies(byte[] key, String id, String timestamp, String signatures, String body) {
    if (id == null || timestamp == null || signatures == null) {
      return false;
    }
    try {
      long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp));
      if (age > 300) {
        return false;
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] expected =
          ("v1," + Base64.getEncoder().encodeToString(
                  mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8))))
              .getBytes(StandardCharsets.UTF_8);
      for (String signature : signatures.split(" ")) {
        if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  /** A top-level string field of the CloudEvent, read without a JSON library. */
  static String field(String json, String name) {
    int at = json.indexOf("\"" + name + "\":\"");
    if (at < 0) {
      return "-";
    }
    int start = at + name.length() + 4;
    return json.substring(start, json.indexOf('"', start));
  }
}
