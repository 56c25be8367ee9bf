package io.provisioninghub.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Hands a {@code @QuarkusTest} the bootstrap servers and datasource URLs of the JVM-wide real
 * broker and database: {@code @WithTestResource(InfrastructureTestResource.class)}.
 */
public class InfrastructureTestResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return Infrastructure.shared().quarkusConfig();
  }

  @Override
  public void stop() {
    // shared by every test class of this JVM; stopped by the JVM's shutdown hook
  }
}
