package io.provisioninghub.graphsync;

import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** This service's JDBC transactions: service-support's {@code Db} on its data source. */
@Singleton
public class Db extends io.provisioninghub.support.jdbc.Db {

  public Db(DataSource dataSource) {
    super(dataSource);
  }
}
