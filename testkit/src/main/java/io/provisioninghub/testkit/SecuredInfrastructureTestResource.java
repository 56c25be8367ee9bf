package io.provisioninghub.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs a {@code @QuarkusTest} against the JVM-wide secured broker ({@link
 * Infrastructure#secured()}) as one service principal: {@code @WithTestResource(value =
 * SecuredInfrastructureTestResource.class, initArgs = @ResourceArg(name = "principal", value =
 * "scim-gateway"))}. Every Kafka client of the service then authenticates with that principal's
 * SCRAM login and gets only its ACLs.
 */
public class SecuredInfrastructureTestResource implements QuarkusTestResourceLifecycleManager {

  private String principal;

  @Override
  public void init(Map<String, String> initArgs) {
    principal = initArgs.get("principal");
    if (principal == null || !KafkaAcls.PRINCIPALS.contains(principal)) {
      throw new IllegalArgumentException(
          "name the service's Kafka principal (initArgs principal), one of "
              + KafkaAcls.PRINCIPALS);
    }
  }

  @Override
  public Map<String, String> start() {
    return Infrastructure.secured().quarkusConfig(principal);
  }

  @Override
  public void stop() {
    // shared by every test class of this JVM; stopped by the JVM's shutdown hook
  }
}
