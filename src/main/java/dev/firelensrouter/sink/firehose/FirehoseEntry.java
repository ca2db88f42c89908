package dev.firelensrouter.sink.firehose;

/**
 * One routed event for Firehose: its bytes as one record or, split because it is over the record
 * limit, as several consecutive records. Pieces Firehose already accepted are remembered, so a
 * partial failure resends only the others. Read and written under the engine's ordering: a send
 * only starts after the previous attempt's answer was handled.
 */
final class FirehoseEntry {
  private final byte[][] pieces;
  private final boolean[] accepted;

  FirehoseEntry(byte[]... pieces) {
    this.pieces = pieces;
    this.accepted = new boolean[pieces.length];
  }

  int pieceCount() {
    return pieces.length;
  }

  byte[] piece(int i) {
    return pieces[i];
  }

  boolean isAccepted(int i) {
    return accepted[i];
  }

  void accept(int i) {
    accepted[i] = true;
  }

  /** Pieces not yet accepted: the records the next send needs. */
  int pendingPieces() {
    int n = 0;
    for (boolean a : accepted) {
      n += a ? 0 : 1;
    }
    return n;
  }

  /** The request bytes of every piece: base64 in a JSON member each. */
  int encodedSize() {
    int n = 0;
    for (byte[] p : pieces) {
      n += FirehoseSender.encodedSize(p.length);
    }
    return n;
  }

  /** True for a one-piece entry: it may share a Firehose record with others. */
  boolean isWhole() {
    return pieces.length == 1;
  }
}
