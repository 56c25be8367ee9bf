package io.provisioninghub.audit.query;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** A parameterised SQL fragment: values are always bound, never concatenated. */
public record Sql(String text, List<Object> binds) {

  /** Binds the values from parameter 1 on; returns the next free index. */
  public int bind(PreparedStatement statement) throws SQLException {
    int i = 1;
    for (Object value : binds) {
      statement.setObject(i++, value);
    }
    return i;
  }

  static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** A LIKE pattern matching values that start with {@code prefix} literally. */
  static String likePrefix(String prefix) {
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}
