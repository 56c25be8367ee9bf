package io.provisioninghub.gateway.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a bulk request's operations are read and ordered, before anything runs. */
class BulkPlanTest {

  @Test
  void referencesInAnyOrderBecomeEdgesToTheOperationsThatCreateThem() {
    BulkPlan plan =
        plan(
            "{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"g\",\"data\":{\"members\":"
                + "[{\"value\":\"bulkId:a\"},{\"value\":\"bulkId:b\"}]}}",
            "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"a\",\"data\":{}}",
            "{\"method\":\"post\",\"path\":\"/USERS\",\"bulkId\":\"b\",\"data\":{\"manager\":"
                + "{\"value\":\"bulkId:a\"}}}",
            "{\"method\":\"PATCH\",\"path\":\"/Users/bulkId:b\",\"data\":{}}",
            "{\"method\":\"DELETE\",\"path\":\"/Users/bulkId:b\"}");
    assertThat(plan.nodes()).allMatch(n -> n.operation().invalid() == null);
    assertThat(plan.nodes().get(0).references()).containsExactlyInAnyOrder(1, 2);
    assertThat(plan.nodes().get(2).references()).containsExactly(1);
    assertThat(plan.nodes().get(2).operation().method()).isEqualTo("POST");
    // Operations on one resource keep the request's order.
    assertThat(plan.nodes().get(3).references()).containsExactly(2);
    assertThat(plan.nodes().get(3).after()).containsExactly(2);
    assertThat(plan.nodes().get(4).after()).containsExactly(3);
  }

  @Test
  void circlesAreRefusedWith409AndUnknownReferencesWith400() {
    BulkPlan plan =
        plan(
            "{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"x\",\"data\":{\"members\":"
                + "[{\"value\":\"bulkId:y\"}]}}",
            "{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"y\",\"data\":{\"members\":"
                + "[{\"value\":\"bulkId:x\"}]}}",
            "{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"self\",\"data\":{\"members\":"
                + "[{\"value\":\"bulkId:self\"}]}}",
            "{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"z\",\"data\":{\"members\":"
                + "[{\"value\":\"bulkId:x\"}]}}",
            "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u\",\"data\":{\"manager\":"
                + "{\"value\":\"bulkId:ghost\"}}}");
    assertThat(status(plan, 0)).isEqualTo(409);
    assertThat(status(plan, 1)).isEqualTo(409);
    assertThat(status(plan, 2)).isEqualTo(409);
    assertThat(plan.nodes().get(0).operation().invalid().detail()).contains("x, y");
    // Not on the circle: it waits for x, and fails when x does (at run time).
    assertThat(plan.nodes().get(3).operation().invalid()).isNull();
    assertThat(plan.nodes().get(3).references()).containsExactly(0);
    assertThat(status(plan, 4)).isEqualTo(400);
    assertThat(plan.nodes().get(4).operation().invalid().detail()).contains("ghost");
  }

  @Test
  void malformedOperationsAreRefusedOneByOne() {
    BulkPlan plan =
        plan(
            "\"not an object\"",
            "{\"path\":\"/Users\",\"bulkId\":\"a\",\"data\":{}}",
            "{\"method\":\"GET\",\"path\":\"/Users\"}",
            "{\"method\":\"POST\",\"path\":\"/Users\",\"data\":{}}",
            "{\"method\":\"POST\",\"path\":\"/Widgets\",\"bulkId\":\"w\",\"data\":{}}",
            "{\"method\":\"PUT\",\"path\":\"/Users\",\"data\":{}}",
            "{\"method\":\"POST\",\"path\":\"/Users/abc\",\"bulkId\":\"p\",\"data\":{}}",
            "{\"method\":\"PUT\",\"path\":\"/Users/abc\"}",
            "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"d\",\"data\":{}}",
            "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"d\",\"data\":{}}",
            "{\"method\":\"DELETE\",\"path\":\"/Groups/abc\"}");
    List<String> types = new ArrayList<>();
    for (BulkPlan.Node node : plan.nodes()) {
      types.add(
          node.operation().invalid() == null
              ? "ok"
              : node.operation().invalid().status() + " " + node.operation().invalid().scimType());
    }
    assertThat(types)
        .containsExactly(
            "400 invalidSyntax",
            "400 invalidSyntax",
            "400 invalidValue",
            "400 invalidSyntax",
            "400 invalidPath",
            "400 invalidPath",
            "400 invalidPath",
            "400 invalidSyntax",
            "ok",
            "400 invalidValue",
            "ok");
  }

  private static int status(BulkPlan plan, int i) {
    return plan.nodes().get(i).operation().invalid().status();
  }

  private static BulkPlan plan(String... operations) {
    List<BulkOperation> read = new ArrayList<>();
    for (int i = 0; i < operations.length; i++) {
      try {
        JsonNode node = ContractJson.mapper().readTree(operations[i]);
        read.add(BulkOperation.read(i, node));
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
    return BulkPlan.of(read);
  }
}
