package io.provisioninghub.contracts;

import java.util.List;

/**
 * The tenant's own extension schemas as the gateway checked a write against them, carried in the
 * command so that the processor applies it with exactly the same schemas (ADR 0012): a PATCH is
 * applied with the declared spelling and types, and a value of an attribute declared unique is
 * claimed in the processor's transaction. Absent from the command when the tenant declared nothing.
 *
 * @param schemas the declarations, as in {@link TenantSnapshot#extensionSchemas()}
 * @param strict whether attributes of undeclared extensions are refused
 */
public record TenantExtensions(List<ExtensionSchema> schemas, boolean strict) {

  public TenantExtensions {
    schemas = schemas == null ? List.of() : List.copyOf(schemas);
  }
}
