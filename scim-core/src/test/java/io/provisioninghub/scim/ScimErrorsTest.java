package io.provisioninghub.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ResourceNotFoundException;
import io.provisioninghub.scim.error.ScimErrors;
import io.provisioninghub.scim.error.ScimType;
import org.junit.jupiter.api.Test;

class ScimErrorsTest {

  @Test
  void statusIsAStringAndScimTypeIsPresentWhenDefined() {
    ObjectNode body =
        ScimErrors.body(new BadRequestException(ScimType.invalidFilter, "bad filter"));

    assertThat(body.get("schemas").get(0).asText())
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(body.get("status").isTextual()).isTrue();
    assertThat(body.get("status").asText()).isEqualTo("400");
    assertThat(body.get("scimType").asText()).isEqualTo("invalidFilter");
    assertThat(body.get("detail").asText()).isEqualTo("bad filter");
  }

  @Test
  void noScimTypeKeyWhenTheRfcDefinesNone() {
    ObjectNode body = ScimErrors.body(new ResourceNotFoundException("no such user"));

    assertThat(body.get("status").asText()).isEqualTo("404");
    assertThat(body.has("scimType")).isFalse();
  }
}
