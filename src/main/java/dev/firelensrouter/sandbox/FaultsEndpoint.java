package dev.firelensrouter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /_sandbox/faults} on an emulator's port: {@code GET} answers the current faults as JSON,
 * {@code POST} with a JSON body replaces them (absent keys are 0); a bad body (not JSON, an unknown
 * key, a value of the wrong type or out of range) is a 400 naming what is wrong, and the old faults
 * stay.
 */
final class FaultsEndpoint<F> implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<F> current;
  private final Consumer<F> replace;
  private final Function<JsonNode, F> parse;
  private final Function<F, JsonNode> render;

  FaultsEndpoint(
      Supplier<F> current,
      Consumer<F> replace,
      Function<JsonNode, F> parse,
      Function<F, JsonNode> render) {
    this.current = current;
    this.replace = replace;
    this.parse = parse;
    this.render = render;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    int status = 200;
    byte[] out;
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readAllBytes();
      if (ex.getRequestMethod().equals("POST")) {
        replace.accept(parse.apply(JSON.readTree(body)));
      }
      out = JSON.writeValueAsBytes(render.apply(current.get()));
    } catch (IOException | IllegalArgumentException e) {
      status = 400;
      out = JSON.writeValueAsBytes(JSON.createObjectNode().put("error", e.getMessage()));
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }
}
