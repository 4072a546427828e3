package org.sensorcluster.http;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.auth.IssuedToken;
import org.sensorcluster.domain.auth.QuotaOverrides;
import org.sensorcluster.domain.auth.Role;
import org.sensorcluster.domain.auth.TokenInfo;

/** Creating, listing and revoking API tokens ({@code /api/v1/admin/tokens}). */
public interface TokenAdmin {

  /**
   * A new token; its secret is in the result only. {@code scope} is a sensor id prefix and {@code
   * quota} the token's own figures over the node's defaults (both for devices only).
   */
  CompletionStage<IssuedToken> create(Role role, String scope, String label, QuotaOverrides quota);

  /** Every token, revoked ones included, oldest first; never a secret. */
  CompletionStage<List<TokenInfo>> list();

  /** Revokes token {@code id}; false when there is no such token. Idempotent. */
  CompletionStage<Boolean> revoke(String id);
}
