package dev.firelensrouter.route;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import java.util.List;

/**
 * A route's steps in order: {@link Transform}s edit the record copy-on-write, {@link Joiner}s may
 * hold it and let a joined event go on later from the next step. A step that throws leaves the
 * record as it was before that step (counted), so one bad record never stops the router.
 */
final class TransformChain {
  /** Where a route's surviving records go and where its drops are counted. */
  interface Sink {
    void deliver(String tag, Event event, ChunkTicket ticket);

    void dropped(String reason);
  }

  /** What a run needs besides the record. */
  record Env(TemplateScope scope, TransformCounters counters, Sink sink) {}

  private final List<Object> steps;

  TransformChain(List<Object> steps) {
    this.steps = List.copyOf(steps);
  }

  List<Object> steps() {
    return steps;
  }

  /**
   * Runs the steps from {@code from}.
   *
   * @param owned the caller passes one reference on {@code ticket} that this run releases
   */
  void run(Env env, String tag, Event event, ChunkTicket ticket, boolean owned, int from) {
    RecordEdit edit = new RecordEdit(event);
    Transform.Context ctx = new Transform.Context(tag, env.scope(), env.counters());
    for (int i = from; i < steps.size(); i++) {
      Object step = steps.get(i);
      if (step instanceof Transform t) {
        String reason;
        try {
          reason = t.apply(ctx, edit);
        } catch (RuntimeException e) {
          env.counters().failed.increment();
          edit = new RecordEdit(edit.original());
          continue;
        }
        if (reason != null) {
          env.sink().dropped(reason);
          if (owned) {
            ticket.release();
          }
          return;
        }
      } else if (step instanceof Joiner j) {
        int next = i + 1;
        j.offer(
            tag,
            edit.result(),
            ticket,
            owned,
            (tg, ev, tk, own) -> run(env, tg, ev, tk, own, next));
        return;
      }
    }
    try {
      env.sink().deliver(tag, edit.result(), ticket);
    } finally {
      if (owned) {
        ticket.release();
      }
    }
  }

  /** Lets held groups go: those whose time is up, or all of them. */
  void flush(Env env, long nowMillis, boolean all) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) instanceof Joiner j) {
        int next = i + 1;
        j.flush(nowMillis, all, (tg, ev, tk, own) -> run(env, tg, ev, tk, own, next));
      }
    }
  }

  int held() {
    int n = 0;
    for (Object s : steps) {
      if (s instanceof Joiner j) {
        n += j.held();
      }
    }
    return n;
  }
}
