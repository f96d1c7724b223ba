package io.datomicgitops.testing.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * Encodes a JSON value as CBOR (RFC 8949, definite lengths) for services on the Smithy RPC v2 CBOR protocol
 * (CloudWatch in current SDKs). A string field whose name ends in "Timestamp" or "Time" and that holds an ISO instant
 * becomes a CBOR epoch timestamp (tag 1), as the protocol sends timestamps.
 */
final class Cbor {
    private Cbor() {}

    static byte[] encode(JsonNode json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, json, null);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, JsonNode n, String fieldName) {
        if (n.isObject()) {
            head(out, 5, n.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                text(out, e.getKey());
                write(out, e.getValue(), e.getKey());
            }
        } else if (n.isArray()) {
            head(out, 4, n.size());
            for (JsonNode item : n) write(out, item, null);
        } else if (n.isTextual()) {
            if (fieldName != null && (fieldName.endsWith("Timestamp") || fieldName.endsWith("Time"))) {
                try {
                    Instant t = Instant.parse(n.asText());
                    out.write(0xc1); // tag 1: epoch-based date/time
                    float64(out, t.getEpochSecond() + t.getNano() / 1e9);
                    return;
                } catch (DateTimeParseException e) {
                    // an ordinary string
                }
            }
            text(out, n.asText());
        } else if (n.isIntegralNumber()) {
            long v = n.asLong();
            if (v >= 0) head(out, 0, v);
            else head(out, 1, -1 - v);
        } else if (n.isNumber()) {
            float64(out, n.asDouble());
        } else if (n.isBoolean()) {
            out.write(n.asBoolean() ? 0xf5 : 0xf4);
        } else {
            out.write(0xf6); // null
        }
    }

    private static void text(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        head(out, 3, b.length);
        out.write(b, 0, b.length);
    }

    private static void float64(ByteArrayOutputStream out, double d) {
        out.write(0xfb);
        long bits = Double.doubleToLongBits(d);
        for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)) & 0xff);
    }

    private static void head(ByteArrayOutputStream out, int major, long length) {
        int m = major << 5;
        if (length < 24) {
            out.write(m | (int) length);
        } else if (length < 0x100) {
            out.write(m | 24);
            out.write((int) length);
        } else if (length < 0x10000) {
            out.write(m | 25);
            out.write((int) (length >> 8));
            out.write((int) length & 0xff);
        } else {
            out.write(m | 26);
            for (int i = 3; i >= 0; i--) out.write((int) (length >>> (8 * i)) & 0xff);
        }
    }
}
