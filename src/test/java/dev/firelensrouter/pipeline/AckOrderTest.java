package dev.firelensrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AckOrderTest {
  private final List<String> written = new ArrayList<>();
  private final AckOrder order =
      new AckOrder(ack -> written.add(new String(ack, StandardCharsets.UTF_8)));

  @Test
  void acksLeaveInRequestOrderWhenALaterChunkCompletesFirst() {
    AckOrder.Pending first = order.expect(bytes("a"));
    AckOrder.Pending second = order.expect(bytes("b"));
    AckOrder.Pending third = order.expect(bytes("c"));

    third.run();
    assertThat(written).isEmpty();
    second.run();
    assertThat(written).isEmpty();
    first.run();
    assertThat(written).containsExactly("a", "b", "c");
    assertThat(order.waiting()).isZero();
  }

  @Test
  void anAckIsWrittenAsSoonAsEveryEarlierOneWas() {
    AckOrder.Pending first = order.expect(bytes("a"));
    AckOrder.Pending second = order.expect(bytes("b"));
    first.run();
    assertThat(written).containsExactly("a");
    assertThat(order.waiting()).isEqualTo(1);
    second.run();
    assertThat(written).containsExactly("a", "b");
  }

  @Test
  void completionsFromManyThreadsStillLeaveInOrder() throws Exception {
    List<AckOrder.Pending> pending = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      pending.add(order.expect(bytes(Integer.toString(i))));
    }
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int start = t;
      Thread thread =
          new Thread(
              () -> {
                for (int i = 999 - start; i >= 0; i -= 4) {
                  pending.get(i).run();
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(written).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(written.get(i)).isEqualTo(Integer.toString(i));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
