package io.datomicgitops.config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers secret values (resolved placeholders, tokens, passphrases) and masks them in any text about to be
 * printed or written to a report. Defence in depth: the code never prints a secret on purpose, and this catches
 * the one that slips through an exception message.
 */
public final class Redactor {
    private static final Redactor GLOBAL = new Redactor();
    private static final int MIN_LENGTH = 4; // shorter values would mask ordinary words

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    public static Redactor global() {
        return GLOBAL;
    }

    public void register(String secret) {
        if (secret != null && secret.strip().length() >= MIN_LENGTH) secrets.add(secret.strip());
    }

    public String redact(String text) {
        if (text == null || secrets.isEmpty()) return text;
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) out = out.replace(s, Secrets.MASK);
        }
        return out;
    }
}
