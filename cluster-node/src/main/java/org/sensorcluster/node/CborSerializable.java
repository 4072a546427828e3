package org.sensorcluster.node;

/**
 * Marker for messages sent between nodes; bound to Pekko's Jackson CBOR serializer in
 * serialization.conf.
 */
public interface CborSerializable {}
