package io.datomicgitops.configrepo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A hash of what a deployment deploys (the stack's properties files and template), to tell "already deployed". */
public final class ConfigHash {
    private static final List<String> FILES = List.of(StackFolder.TRANSACTOR, StackFolder.CF, StackFolder.TEMPLATE, StackFolder.DEPLOY);

    private ConfigHash() {}

    public static String of(StackFolder stack) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String f : FILES) {
                Path p = stack.file(f);
                sha.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                if (Files.exists(p)) sha.update(Files.readAllBytes(p));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
