package io.provisioninghub.registry.error;

/** The JSON body of every admin API error (RFC 9457 style, without a type URI). */
public record Problem(int status, String title, String detail) {}
