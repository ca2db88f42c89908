package dev.firelensrouter.config;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" for misspelt keys and values. */
final class Suggestions {
  private Suggestions() {}

  /** The candidate within a small edit distance of {@code word}, if any. */
  static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    int allowed = word.length() <= 3 ? 1 : Math.min(3, 1 + word.length() / 4);
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  private static int distance(String a, String b) {
    int[] prevPrev = new int[b.length() + 1];
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          cur[j] = Math.min(cur[j], prevPrev[j - 2] + 1); // a transposition costs one edit
        }
      }
      int[] t = prevPrev;
      prevPrev = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
