package org.sensorcluster.domain.auth;

/** A token just created: its secret, shown this once, and what is stored of it. */
public record IssuedToken(String token, TokenInfo info) {}
