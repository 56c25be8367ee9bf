package io.provisioninghub.gateway.resources;

/** A resource rendered for the response: the JSON body and the version behind its ETag. */
public record Rendered(String id, String json, long version) {}
