package org.sensorcluster.loadgen;

/**
 * {@code clients} streams of {@code path}; {@code {i}} in the path becomes the client's number in
 * the group.
 */
record StreamGroup(int clients, String path) {
  String pathOf(int i) {
    return path.replace("{i}", Integer.toString(i));
  }
}
