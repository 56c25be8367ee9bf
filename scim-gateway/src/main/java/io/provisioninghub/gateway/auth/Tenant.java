package io.provisioninghub.gateway.auth;

/** The tenant a request was authenticated as. Every read and command is scoped to it. */
public record Tenant(String id) {}
