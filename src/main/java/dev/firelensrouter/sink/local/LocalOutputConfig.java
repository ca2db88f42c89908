package dev.firelensrouter.sink.local;

import dev.firelensrouter.event.Template;

/** Options of the {@code file} and {@code stdout} outputs ({@code path} is null for stdout). */
record LocalOutputConfig(Template path, LineFormat format) {}
