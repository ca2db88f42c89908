package dev.firelensrouter.route;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.event.RecordFields;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.event.TemplateScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One stateless step of a route's transform list. A step edits the record through {@link
 * RecordEdit} (copy-on-write) and answers {@code null} to go on, or the reason it drops the record.
 */
sealed interface Transform
    permits Transform.ParseJson,
        Transform.SetFields,
        Transform.RemoveFields,
        Transform.RenameFields,
        Transform.Redact,
        Transform.Sample,
        Transform.EnrichEcs,
        RateLimit {

  /** What a step sees besides the record. */
  record Context(String tag, TemplateScope scope, TransformCounters counters) {}

  /** Applies the step; returns {@code null} to keep the record, or a drop reason. */
  String apply(Context ctx, RecordEdit edit);

  /** The step as written, for explain. */
  String describe();

  /**
   * {@code parse_json}: a string field holding a JSON object is parsed and merged into the record
   * (or put under {@code into}). A value that is not a JSON object is left alone and counted.
   */
  record ParseJson(RecordFields.Path field, RecordFields.Path into, ObjectMapper json)
      implements Transform {
    @Override
    public String apply(Context ctx, RecordEdit edit) {
      String text = edit.text(field);
      if (text == null || !looksLikeObject(text)) {
        ctx.counters().parseJsonSkipped();
        return null;
      }
      Map<String, Object> parsed;
      try {
        parsed = json.readValue(text, LinkedHashMap.class) instanceof Map<?, ?> m ? cast(m) : null;
      } catch (JacksonException | RuntimeException e) {
        parsed = null;
      }
      if (parsed == null || !edit.isMap()) {
        ctx.counters().parseJsonSkipped();
        return null;
      }
      if (into == null) {
        edit.tree().putAll(parsed);
      } else {
        RecordEdit.put(edit.tree(), into.names(), parsed);
      }
      edit.markChanged();
      return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
      return (Map<String, Object>) m;
    }

    private static boolean looksLikeObject(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!Character.isWhitespace(c)) {
          return c == '{';
        }
      }
      return false;
    }

    @Override
    public String describe() {
      return "parse_json: " + field + (into == null ? "" : " into " + into);
    }
  }

  /** {@code set}: each field gets its template's rendering. */
  record SetFields(Map<RecordFields.Path, Template> values) implements Transform {
    @Override
    public String apply(Context ctx, RecordEdit edit) {
      if (!edit.isMap()) {
        return null;
      }
      Map<RecordFields.Path, String> rendered = new LinkedHashMap<>();
      for (Map.Entry<RecordFields.Path, Template> e : values.entrySet()) {
        Template t = e.getValue();
        rendered.put(
            e.getKey(),
            t.isConstant() ? t.text() : t.render(ctx.tag(), edit.result(), ctx.scope()));
      }
      for (Map.Entry<RecordFields.Path, String> e : rendered.entrySet()) {
        RecordEdit.put(edit.tree(), e.getKey().names(), e.getValue());
      }
      edit.markChanged();
      return null;
    }

    @Override
    public String describe() {
      return "set: " + values;
    }
  }

  /** {@code remove}: the listed fields are taken out. */
  record RemoveFields(List<RecordFields.Path> fields) implements Transform {
    @Override
    public String apply(Context ctx, RecordEdit edit) {
      if (!edit.isMap()) {
        return null;
      }
      for (RecordFields.Path f : fields) {
        if (RecordEdit.remove(edit.tree(), f.names()) != null) {
          edit.markChanged();
        }
      }
      return null;
    }

    @Override
    public String describe() {
      return "remove: " + fields;
    }
  }

  /** {@code rename}: each {@code from} field moves to {@code to}. */
  record RenameFields(Map<RecordFields.Path, RecordFields.Path> renames) implements Transform {
    @Override
    public String apply(Context ctx, RecordEdit edit) {
      if (!edit.isMap()) {
        return null;
      }
      for (Map.Entry<RecordFields.Path, RecordFields.Path> e : renames.entrySet()) {
        Object v = RecordEdit.remove(edit.tree(), e.getKey().names());
        if (v != null) {
          RecordEdit.put(edit.tree(), e.getValue().names(), v);
          edit.markChanged();
        }
      }
      return null;
    }

    @Override
    public String describe() {
      return "rename: " + renames;
    }
  }

  /** {@code redact}: every match of {@code pattern} in the field is replaced. */
  record Redact(RecordFields.Path field, Pattern pattern, String replacement) implements Transform {
    @Override
    public String apply(Context ctx, RecordEdit edit) {
      String text = edit.text(field);
      if (text == null) {
        return null;
      }
      java.util.regex.Matcher m = pattern.matcher(text);
      if (!m.find() || !edit.isMap()) {
        return null;
      }
      RecordEdit.put(edit.tree(), field.names(), m.replaceAll(replacement));
      edit.markChanged();
      return null;
    }

    @Override
    public String describe() {
      return "redact: " + field + " /" + pattern + "/ -> " + replacement;
    }
  }

  /**
   * {@code sample: {one_in: N}}: keeps one record in N, chosen by a hash of the tag and the record
   * bytes, so that a record sent again gets the same answer.
   */
  record Sample(int oneIn) implements Transform {
    @Override
    public String apply(Context ctx, RecordEdit edit) {
      var e = edit.result();
      long h = 0xcbf29ce484222325L;
      String tag = ctx.tag();
      for (int i = 0; i < tag.length(); i++) {
        h = (h ^ tag.charAt(i)) * 0x100000001b3L;
      }
      byte[] b = e.recordBuffer();
      for (int i = e.recordOffset(), end = i + e.recordLength(); i < end; i++) {
        h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
      }
      h ^= h >>> 33;
      h *= 0xff51afd7ed558ccdL;
      h ^= h >>> 33;
      return Math.floorMod(h, oneIn) == 0 ? null : "sampled";
    }

    @Override
    public String describe() {
      return "sample: one_in " + oneIn;
    }
  }

  /** {@code service.enrich_ecs}: adds ecs_cluster, ecs_task_arn and ecs_task_definition. */
  record EnrichEcs() implements Transform {
    @Override
    public String apply(Context ctx, RecordEdit edit) {
      TemplateScope s = ctx.scope();
      String cluster = s.value("ecs.cluster");
      String arn = s.value("ecs.task_arn");
      String family = s.value("ecs.family");
      String revision = s.value("ecs.revision");
      if ((cluster == null && arn == null && family == null) || !edit.isMap()) {
        return null;
      }
      Map<String, Object> t = edit.tree();
      if (cluster != null) {
        t.put("ecs_cluster", cluster);
      }
      if (arn != null) {
        t.put("ecs_task_arn", arn);
      }
      if (family != null) {
        t.put("ecs_task_definition", revision == null ? family : family + ":" + revision);
      }
      edit.markChanged();
      return null;
    }

    @Override
    public String describe() {
      return "enrich_ecs";
    }
  }
}
