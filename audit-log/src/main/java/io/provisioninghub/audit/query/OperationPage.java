package io.provisioninghub.audit.query;

import java.util.List;

/** A page of operations, newest first; {@code nextCursor} is null on the last page. */
public record OperationPage(List<OperationView> items, String nextCursor) {}
