package io.provisioninghub.registry;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;

/** The registry's JDBC transactions: service-support's {@code Db} on its data source. */
@Singleton
public class Db extends io.provisioninghub.support.jdbc.Db {

  public Db(AgroalDataSource dataSource) {
    super(dataSource);
  }
}
