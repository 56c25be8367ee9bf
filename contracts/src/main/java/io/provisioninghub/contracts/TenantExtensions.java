package io.provisioninghub.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The tenant's declarations about its data, as the gateway checked a write against them, carried in
 * the command so that the processor applies it with exactly the same settings (ADR 0012): a PATCH
 * is applied with the declared spelling and types, a value of an attribute declared unique is
 * claimed in the processor's transaction, and the values of the attributes the tenant redacts from
 * events are left out of them (docs/events.md). Absent from the command when the tenant declared
 * nothing.
 *
 * @param schemas the declarations, as in {@link TenantSnapshot#extensionSchemas()}
 * @param strict whether attributes of undeclared extensions are refused
 * @param eventRedactions attribute names whose values events never carry, as in {@link
 *     TenantSnapshot#eventRedactions()}
 */
public record TenantExtensions(
    List<ExtensionSchema> schemas,
    boolean strict,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> eventRedactions) {

  public TenantExtensions {
    schemas = schemas == null ? List.of() : List.copyOf(schemas);
    eventRedactions = eventRedactions == null ? List.of() : List.copyOf(eventRedactions);
  }

  /** Declared schemas and strictness, nothing redacted from events. */
  public TenantExtensions(List<ExtensionSchema> schemas, boolean strict) {
    this(schemas, strict, List.of());
  }

  /** Whether this says nothing the processor needs. */
  public boolean isEmpty() {
    return schemas.isEmpty() && !strict && eventRedactions.isEmpty();
  }
}
