package dev.firelensrouter.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8#encodedLength} counts what {@code getBytes(UTF_8)} would write, whatever the text.
 */
class Utf8EncodedLengthTest {
  private static int jdk(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void oneTwoThreeAndFourByteCharactersAndUnpairedSurrogates() {
    for (String s :
        new String[] {
          "",
          "GET /",
          "caf\u00e9",
          "\u65e5\u672c",
          "\ud83d\ude00",
          "a\ud83d",
          "\ude00b",
          "\ud83d\ud83d"
        }) {
      assertThat(Utf8.encodedLength(s)).as(s).isEqualTo(jdk(s));
    }
  }

  @Test
  void randomTextOfEveryKindOfCharacter() {
    Random random = new Random(7);
    for (int round = 0; round < 2000; round++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(40);
      for (int i = 0; i < n; i++) {
        switch (random.nextInt(5)) {
          case 0 -> b.append((char) random.nextInt(0x80));
          case 1 -> b.append((char) (0x80 + random.nextInt(0x780)));
          case 2 -> b.append((char) (0x800 + random.nextInt(0xd000)));
          case 3 -> b.appendCodePoint(0x10000 + random.nextInt(0x100000));
          default -> b.append((char) (0xd800 + random.nextInt(0x800))); // a lone surrogate
        }
      }
      String s = b.toString();
      assertThat(Utf8.encodedLength(s)).as("round %d", round).isEqualTo(jdk(s));
    }
  }
}
