package org.sensorcluster.http;

/** Why the item at {@code index} of a request was not stored (or not confirmed). */
public record ItemError(int index, String error) {}
