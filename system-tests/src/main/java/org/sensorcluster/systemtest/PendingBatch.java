package org.sensorcluster.systemtest;

import java.util.List;

/**
 * A batch of the {@link LoadDriver} waiting to be sent: not before {@code notBefore} (nanoTime),
 * not again to {@code lastUrl}; {@code firstSent} is when its readings were first sent.
 */
record PendingBatch(
    List<LoadDriver.Item> items, long notBefore, String lastUrl, long firstSent, int attempts) {}
