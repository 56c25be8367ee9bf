package io.provisioninghub.gateway.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/**
 * Reads SCIM request bodies strictly (docs/input-contract.md): one JSON object and nothing after
 * it, no duplicate keys, no comments, NaN or other non-standard tokens, and every size bounded by
 * Jackson's {@link StreamReadConstraints} from {@link GatewayConfig.Input} before any tree exists.
 * Anything else is 400 invalidSyntax.
 */
@ApplicationScoped
public class RequestBodies {

  private final ObjectReader reader;
  private final ObjectReader bulkReader;

  public RequestBodies(GatewayConfig config) {
    this.reader = reader(config.input(), config.maxBodyBytes());
    this.bulkReader = reader(config.input(), config.bulk().maxPayloadBytes());
  }

  /**
   * The strict reader for these bounds; a string or the whole body never exceeds the body limit.
   */
  static ObjectReader reader(GatewayConfig.Input input, long maxBodyBytes) {
    int maxString = (int) Math.min(Integer.MAX_VALUE, maxBodyBytes);
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(input.maxNestingDepth())
                    .maxNameLength(input.maxNameLength())
                    .maxNumberLength(input.maxNumberLength())
                    .maxTokenCount(input.maxTokenCount())
                    .maxStringLength(maxString)
                    .maxDocumentLength(maxBodyBytes)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    // Comments, single quotes, NaN/Infinity, leading zeros, unescaped control characters and
    // trailing commas stay disabled: Jackson's defaults are RFC 8259's.
    return JsonMapper.builder(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .build()
        .readerFor(JsonNode.class);
  }

  /** The body as one JSON object; anything else is 400 invalidSyntax. */
  public ObjectNode object(byte[] body) {
    return object(reader, body);
  }

  /**
   * A bulk request body as one JSON object, read as strictly as any other body but bounded by
   * {@code bulk.maxPayloadSize}; each operation's {@code data} is then checked as a single
   * request's body would be.
   */
  public ObjectNode bulk(byte[] body) {
    return object(bulkReader, body);
  }

  private static ObjectNode object(ObjectReader reader, byte[] body) {
    if (body == null || body.length == 0) {
      throw new BadRequestException(ScimType.invalidSyntax, "the request body is empty");
    }
    JsonNode node;
    try {
      node = reader.readTree(body);
    } catch (IOException e) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "the request body is not valid JSON: " + firstLine(e), e);
    }
    if (node == null || !node.isObject()) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "the request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private static String firstLine(IOException e) {
    String message =
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
  }
}
