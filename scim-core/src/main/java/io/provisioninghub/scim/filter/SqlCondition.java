package io.provisioninghub.scim.filter;

import java.util.List;

/**
 * A PostgreSQL boolean expression with {@code $n} placeholders and the values to bind to them, in
 * order: {@code params.get(0)} binds the first placeholder number handed to the translator.
 */
public record SqlCondition(String sql, List<Object> params) {

  public SqlCondition {
    params = List.copyOf(params);
  }
}
