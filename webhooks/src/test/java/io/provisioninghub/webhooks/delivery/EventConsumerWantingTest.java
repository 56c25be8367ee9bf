package io.provisioninghub.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.webhooks.endpoints.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which endpoints an event record is owed to, decided from its key and ce_type header alone. */
class EventConsumerWantingTest {

  private static final String CREATED = "io.provisioninghub.user.created.v1";
  private static final String UPDATED = "io.provisioninghub.user.updated.v1";

  private static Endpoint endpoint(String tenant, List<String> types, boolean enabled) {
    return new Endpoint(
        UUID.randomUUID(),
        tenant,
        "https://receiver.example/hook",
        types,
        enabled,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static byte[] type(String type) {
    return type.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void noEndpointMeansNothingIsReadForTheRecord() {
    assertThat(EventConsumer.wanting(List.of(), "t1/u1", type(CREATED))).isEmpty();
  }

  @Test
  void theTenantOfTheKeyAndTheTypeChooseTheEndpoints() {
    Endpoint ofT1 = endpoint("t1", List.of(), true);
    Endpoint createdEverywhere = endpoint(null, List.of(CREATED), true);
    Endpoint ofT2 = endpoint("t2", List.of(), true);
    Endpoint disabled = endpoint(null, List.of(), false);
    List<Endpoint> all = List.of(ofT1, createdEverywhere, ofT2, disabled);

    assertThat(EventConsumer.wanting(all, "t1/u1", type(CREATED)))
        .containsExactly(ofT1, createdEverywhere);
    assertThat(EventConsumer.wanting(all, "t1/u1", type(UPDATED))).containsExactly(ofT1);
    assertThat(EventConsumer.wanting(all, "t3/u1", type(UPDATED))).isEmpty();
  }

  @Test
  void aRecordWithoutTenantKeyOrTypeIsReadWheneverAnEndpointIsEnabled() {
    // Reading it is what sets it aside as not an event of ours; nothing is owed for it.
    Endpoint ofT1 = endpoint("t1", List.of(CREATED), true);
    Endpoint disabled = endpoint(null, List.of(), false);
    assertThat(EventConsumer.wanting(List.of(ofT1, disabled), null, type(CREATED)))
        .containsExactly(ofT1);
    assertThat(EventConsumer.wanting(List.of(ofT1), "no-slash", type(CREATED)))
        .containsExactly(ofT1);
    assertThat(EventConsumer.wanting(List.of(ofT1), "t1/u1", null)).containsExactly(ofT1);
    assertThat(EventConsumer.wanting(List.of(disabled), null, null)).isEmpty();
  }
}
