import java.util.HashMap;
import java.util.Map;
import org.sensorcluster.domain.auth.TokenSecrets;

/**
 * What one token check costs on its own (issue 14): the SHA-256 of the presented token and a lookup
 * among 10,001 valid tokens, as ApiTokens does per request. Run by bench/auth-ab.sh:
 *   java -cp domain/target/classes bench/TokenCheckBench.java
 */
public class TokenCheckBench {
  public static void main(String[] args) {
    Map<String, String> valid = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      valid.put(TokenSecrets.hash(TokenSecrets.newToken()), "token-" + i);
    }
    String token = TokenSecrets.newToken();
    valid.put(TokenSecrets.hash(token), "presented");
    long sink = 0;
    for (int round = 1; round <= 5; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 1_000_000; i++) {
        sink += valid.get(TokenSecrets.hash(token)).length();
      }
      System.out.printf("token check, round %d: %.0f ns (10,001 valid tokens)%n", round, (System.nanoTime() - t0) / 1e6);
    }
    if (sink == 42) {
      System.out.println(); // keeps the loop from being optimised away
    }
  }
}
