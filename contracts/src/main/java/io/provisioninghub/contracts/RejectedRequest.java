package io.provisioninghub.contracts;

import java.time.Instant;

/**
 * What a refused request asked for, as far as the gateway could tell before refusing it.
 *
 * @param method HTTP method
 * @param path request path, without the query string
 * @param resourceType User or Group, if the path names one
 * @param resourceId the id in the path, if any
 * @param operation the write it would have been, or null for a read
 * @param clientRequestId the client's correlation id, if sent
 * @param receivedAt when the gateway received it
 */
public record RejectedRequest(
    String method,
    String path,
    ResourceType resourceType,
    String resourceId,
    Operation operation,
    String clientRequestId,
    Instant receivedAt) {}
