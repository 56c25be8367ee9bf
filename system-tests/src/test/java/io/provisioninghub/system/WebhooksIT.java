package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.testkit.ServiceProcess;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * From a SCIM write to a verified webhook, on the production jars: a tenant's endpoint registered
 * through the webhooks admin API receives the user's creation, with its new values, signed so that
 * the receiver's check passes.
 */
class WebhooksIT {

  @Test
  void aScimCreateArrivesAsASignedWebhookWithItsValues() throws Exception {
    SystemUnderTest sut = SystemUnderTest.get();
    Assumptions.assumeTrue(sut.ownsSystem(), "needs the services this JVM started");
    ServiceProcess webhooks = sut.webhooks();
    webhooks.awaitReady(Duration.ofSeconds(120));
    String tenant = "tenant-a-" + sut.suffix;

    List<String[]> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              new String[] {
                exchange.getRequestHeaders().getFirst("webhook-id"),
                exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                exchange.getRequestHeaders().getFirst("webhook-signature"),
                body
              });
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      HttpResponse<String> registered =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(webhooks.baseUrl() + "/admin/v1/webhooks/endpoints"))
                      .header("Authorization", "Bearer " + sut.adminToken())
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"url\":\""
                                  + url
                                  + "\",\"tenantId\":\""
                                  + tenant
                                  + "\",\"eventTypes\":[\"io.provisioninghub.user.created.v1\"]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
      String secret = ContractJson.mapper().readTree(registered.body()).get("secret").asText();

      String userName = Scim.uniqueName("hooked");
      Scim.Reply created = sut.tenantA.createUser(userName);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String id = created.json().get("id").asText();

      String[] delivery =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> received.stream().filter(r -> r[3].contains(id)).findFirst().orElse(null),
                  r -> r != null);
      JsonNode event = ContractJson.mapper().readTree(delivery[3]);
      assertThat(event.get("type").asText()).isEqualTo("io.provisioninghub.user.created.v1");
      assertThat(event.get("subject").asText()).isEqualTo(id);
      assertThat(event.at("/data/changes/userName").asText()).isEqualTo(userName);
      assertThat(delivery[0]).isEqualTo(event.get("id").asText());

      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      String expected =
          "v1,"
              + Base64.getEncoder()
                  .encodeToString(
                      mac.doFinal(
                          (delivery[0] + "." + delivery[1] + "." + delivery[3])
                              .getBytes(StandardCharsets.UTF_8)));
      assertThat(delivery[2].split(" ")).contains(expected);
    } finally {
      receiver.stop(0);
    }
  }
}
