package io.provisioninghub.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalPathsTest {

  @Test
  void endpointSegmentIsRewrittenAndEverythingElseKept() {
    assertThat(CanonicalPaths.canonical("/scim/v2/users")).isEqualTo("/scim/v2/Users");
    assertThat(CanonicalPaths.canonical("/scim/v2/USERS/AbC-1")).isEqualTo("/scim/v2/Users/AbC-1");
    assertThat(CanonicalPaths.canonical("/scim/v2/groups/")).isEqualTo("/scim/v2/Groups/");
    assertThat(CanonicalPaths.canonical("/scim/v2/serviceproviderconfig"))
        .isEqualTo("/scim/v2/ServiceProviderConfig");
    assertThat(
            CanonicalPaths.canonical("/scim/v2/schemas/urn:ietf:params:scim:schemas:core:2.0:user"))
        .as("a URN is an id: its case is kept")
        .isEqualTo("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:user");
    assertThat(CanonicalPaths.canonical("/scim/v2/resourcetypes/user"))
        .isEqualTo("/scim/v2/ResourceTypes/user");
    assertThat(CanonicalPaths.canonical("/scim/v2/bulk")).isEqualTo("/scim/v2/Bulk");
  }

  @Test
  void canonicalOrUnknownPathsAreLeftAloneSoNothingLoops() {
    assertThat(CanonicalPaths.canonical("/scim/v2/Users/x")).isNull();
    assertThat(CanonicalPaths.canonical("/scim/v2/ServiceProviderConfig")).isNull();
    assertThat(CanonicalPaths.canonical("/scim/v2/userz")).isNull();
    assertThat(CanonicalPaths.canonical("/scim/v2/")).isNull();
    assertThat(CanonicalPaths.canonical("/SCIM/V2/users")).as("the base is exact").isNull();
    assertThat(CanonicalPaths.canonical("/q/health")).isNull();
    assertThat(CanonicalPaths.canonical(null)).isNull();
  }
}
