package io.provisioninghub.contracts;

/** The SCIM resource types a command can target; the name is the SCIM {@code meta.resourceType}. */
public enum ResourceType {
  User,
  Group
}
