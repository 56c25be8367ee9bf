package io.provisioninghub.graphsync.settings;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One sync round as the status API shows it. */
public record RoundView(
    UUID roundId,
    String kind,
    String status,
    Instant startedAt,
    Instant finishedAt,
    Map<String, Long> counts,
    String error) {}
