package dev.firelensrouter.ingest;

/**
 * The kinds of Forward requests, named as in {@code firelens_router_forward_frames_total{mode}}.
 */
enum ForwardMode {
  MESSAGE("message"),
  FORWARD("forward"),
  PACKED_FORWARD("packed_forward"),
  COMPRESSED_PACKED_FORWARD("compressed_packed_forward"),
  HEARTBEAT("heartbeat");

  private final String label;

  ForwardMode(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
