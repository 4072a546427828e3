package org.sensorcluster.domain.auth;

import java.util.Locale;
import org.sensorcluster.domain.InvalidInputException;

/**
 * What a token may do. {@code device}: write readings (within its scope); {@code reader}: queries
 * and streams; {@code operator}: a reader that also registers, changes and decommissions sensors;
 * {@code admin}: everything, including read-model administration and tokens.
 */
public enum Role {
  DEVICE,
  READER,
  OPERATOR,
  ADMIN;

  /** The name on the wire and in the database: lower case. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean may(Permission permission) {
    return switch (permission) {
      case WRITE_READINGS -> this == DEVICE || this == ADMIN;
      case READ -> this == READER || this == OPERATOR || this == ADMIN;
      case MANAGE_SENSORS -> this == OPERATOR || this == ADMIN;
      case ADMINISTER -> this == ADMIN;
    };
  }

  public static Role parse(String wire) {
    if (wire != null) {
      for (Role r : values()) {
        if (r.wireName().equals(wire)) {
          return r;
        }
      }
    }
    throw new InvalidInputException(
        "role must be one of device, reader, operator, admin; got " + wire);
  }
}
