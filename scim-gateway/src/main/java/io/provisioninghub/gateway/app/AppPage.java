package io.provisioninghub.gateway.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import java.time.Instant;
import java.util.List;

/**
 * One page of the application read API: {@code items}, {@code nextCursor} (null on the last page of
 * a list; always present on the events feed, where it is where to poll from next), {@code hasMore},
 * and {@code asOf}, the gateway's clock when the page was read.
 */
record AppPage(List<JsonNode> items, String nextCursor, boolean hasMore, Instant asOf) {

  String json() {
    ObjectNode page = ContractJson.mapper().createObjectNode();
    page.putArray("items").addAll(items);
    page.put("nextCursor", nextCursor);
    page.put("hasMore", hasMore);
    page.put("asOf", asOf.toString());
    return page.toString();
  }
}
