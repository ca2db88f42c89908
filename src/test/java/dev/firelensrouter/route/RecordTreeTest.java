package dev.firelensrouter.route;

import static dev.firelensrouter.event.TestRecords.map;
import static dev.firelensrouter.event.TestRecords.pack;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordTreeTest {
  @Test
  void decodingAndEncodingKeepsEveryValueByteForByte() {
    byte[] original =
        pack(
            map(
                "log",
                "x",
                "n",
                -5,
                "f",
                2.5,
                "bin",
                new byte[] {(byte) 0xff},
                "list",
                List.of(1, map("a", "b")),
                "nested",
                map("k", map("deep", true))));
    Map<String, Object> tree = RecordTree.decodeMap(original, 0, original.length);
    assertThat(RecordTree.encode(tree)).isEqualTo(original);
  }

  @Test
  void aValueThatIsNotAMapHasNoTree() {
    byte[] list = pack(List.of(1, 2));
    assertThat(RecordTree.decodeMap(list, 0, list.length)).isNull();
    byte[] cut = java.util.Arrays.copyOf(pack(map("a", "bcd")), 4);
    assertThat(RecordTree.decodeMap(cut, 0, cut.length)).isNull();
  }
}
