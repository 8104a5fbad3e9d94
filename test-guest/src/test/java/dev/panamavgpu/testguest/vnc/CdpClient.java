package dev.panamavgpu.testguest.vnc;

import dev.panamavgpu.testguest.vm.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of the Chrome DevTools Protocol to drive one page: a command is a JSON text frame with an
 * id, its answer the frame carrying that id back. The JDK's WebSocket is all it takes, so the test needs
 * no npm tree (docs/decisions.md, "noVNC in a browser").
 */
final class CdpClient implements AutoCloseable {
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final WebSocket ws;

    private CdpClient(URI endpoint) throws IOException {
        try {
            ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(endpoint, new Frames())
                    .get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted connecting to " + endpoint, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot open DevTools WebSocket " + endpoint, e);
        }
    }

    /** Opens the DevTools connection of one page target ({@code ws://127.0.0.1:PORT/devtools/page/ID}). */
    static CdpClient open(URI pageEndpoint) throws IOException {
        return new CdpClient(pageEndpoint);
    }

    /** Sends {@code method} and returns its {@code result}; a protocol error or no answer in time is an IOException. */
    Map<String, Object> call(String method, Map<String, Object> params, Duration timeout) throws IOException {
        long id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("id", id);
        msg.put("method", method);
        msg.put("params", params);
        try {
            ws.sendText(Json.write(msg), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Object> reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.get("error") != null) throw new IOException(method + ": " + Json.write(reply.get("error")));
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) reply.getOrDefault("result", Map.of());
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + method, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no answer to " + method + " within " + timeout, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Evaluates a JavaScript expression in the page and returns its value (strings, numbers, booleans). */
    Object evaluate(String expression) throws IOException {
        Map<String, Object> r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true), Duration.ofSeconds(10));
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) r.get("result");
        if (r.get("exceptionDetails") != null) throw new IOException("page threw: " + Json.write(r.get("exceptionDetails")));
        return value == null ? null : value.get("value");
    }

    @Override
    public void close() {
        ws.abort(); // the browser is killed next anyway: no close handshake to wait for
        http.shutdownNow(); // its selector thread and fds, now rather than at a GC
    }

    /** Reassembles text frames (a screenshot spans many) and completes the command they answer; events are dropped. */
    private final class Frames implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                Map<String, Object> m = Json.parseObject(text.toString());
                text.setLength(0);
                if (m.get("id") instanceof Number n) {
                    CompletableFuture<Map<String, Object>> f = pending.get(n.longValue());
                    if (f != null) f.complete(m);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            pending.values().forEach(f -> f.completeExceptionally(new IOException("DevTools closed: " + statusCode + " " + reason)));
            return null;
        }
    }
}
