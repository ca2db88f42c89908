package dev.firelensrouter.sink.local;

import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.OutputType;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The {@code file}, {@code stdout} and {@code null} output types. */
public final class LocalOutputTypes {
  private static final List<String> FORMATS = List.of("record", "envelope");

  private LocalOutputTypes() {}

  public static List<OutputType<?>> all() {
    return List.of(new FileType(), new StdoutType(), new NullType());
  }

  static LineFormat format(MapNode options, Problems problems) {
    return LineFormat.of(options.oneOf("format", FORMATS, problems).orElse("record"));
  }

  /** {@code type: file}: {@code path} (template), {@code format: record|envelope}. */
  public static final class FileType implements OutputType<LocalOutputConfig> {
    @Override
    public String type() {
      return "file";
    }

    @Override
    public List<String> keys() {
      return List.of("path", "format");
    }

    @Override
    public Optional<LocalOutputConfig> validate(OutputSpec spec, Problems problems) {
      MapNode o = spec.options();
      o.rejectUnknownKeys(withType(keys()), "output '" + spec.name() + "'", problems);
      LineFormat format = format(o, problems);
      return o.requiredString("path", "output '" + spec.name() + "' (type file)", problems)
          .flatMap(
              p -> {
                try {
                  return Optional.of(
                      new LocalOutputConfig(Template.compile(p, ZoneOffset.UTC), format));
                } catch (IllegalArgumentException e) {
                  problems.error(
                      o.locationOf("path"), "'path' is not a valid template: " + e.getMessage());
                  return Optional.empty();
                }
              });
    }

    @Override
    public Destination create(LocalOutputConfig config, DestinationContext context) {
      return new FileDestination(context, config);
    }
  }

  /** {@code type: stdout}: {@code format: record|envelope}. */
  public static final class StdoutType implements OutputType<LineFormat> {
    @Override
    public String type() {
      return "stdout";
    }

    @Override
    public List<String> keys() {
      return List.of("format");
    }

    @Override
    public Optional<LineFormat> validate(OutputSpec spec, Problems problems) {
      spec.options().rejectUnknownKeys(withType(keys()), "output '" + spec.name() + "'", problems);
      return Optional.of(format(spec.options(), problems));
    }

    @Override
    public Destination create(LineFormat format, DestinationContext context) {
      return new StdoutDestination(context, format);
    }
  }

  /** {@code type: null}: discards. */
  public static final class NullType implements OutputType<Boolean> {
    @Override
    public String type() {
      return "null";
    }

    @Override
    public List<String> keys() {
      return List.of();
    }

    @Override
    public Optional<Boolean> validate(OutputSpec spec, Problems problems) {
      spec.options().rejectUnknownKeys(withType(keys()), "output '" + spec.name() + "'", problems);
      return Optional.of(Boolean.TRUE);
    }

    @Override
    public Destination create(Boolean unused, DestinationContext context) {
      return new NullDestination(context.name(), context.metrics());
    }
  }

  static List<String> withType(List<String> keys) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of("type"), keys.stream())
        .toList();
  }
}
