package io.datomicgitops.configrepo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A hash of what a deployment deploys (the stack's properties files and template), to tell "already deployed". It
 * hashes content, not line endings: a checkout's CRLF (core.autocrlf, a .gitattributes eol rule) is the same content
 * as the LF git stores and the tool writes.
 */
public final class ConfigHash {
    private static final List<String> FILES = List.of(StackFolder.TRANSACTOR, StackFolder.CF, StackFolder.TEMPLATE, StackFolder.DEPLOY);

    private ConfigHash() {}

    /** The hash of the four files' contents (a null content is an absent file), in the order of {@link #FILES}. */
    public static String of(byte[] transactor, byte[] cf, byte[] template, byte[] deploy) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[][] contents = {transactor, cf, template, deploy};
            for (int i = 0; i < FILES.size(); i++) {
                sha.update(FILES.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                if (contents[i] != null) sha.update(lf(contents[i]));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text with each CRLF as LF, as git stores a text file. */
    public static String lf(String text) {
        return text.replace("\r\n", "\n");
    }

    private static byte[] lf(byte[] content) {
        return lf(new String(content, java.nio.charset.StandardCharsets.ISO_8859_1)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
