package io.datomicgitops.jenkins.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/** The controller's credentials store: each id holds one kind of credential, as in the Credentials plugin. */
public final class Credentials {
    public sealed interface Credential permits SshKey, UsernamePassword, SecretText, AwsKeys {}

    public record SshKey(String username, String privateKey, String passphrase) implements Credential {}

    public record UsernamePassword(String username, String password) implements Credential {}

    public record SecretText(String secret) implements Credential {}

    public record AwsKeys(String accessKeyId, String secretAccessKey) implements Credential {}

    private final Map<String, Credential> byId = new LinkedHashMap<>();

    public Credentials add(String id, Credential c) {
        byId.put(id, c);
        return this;
    }

    Credential get(String id, String bindingName) {
        Credential c = byId.get(id);
        if (c == null) {
            throw new IllegalArgumentException("Could not find credentials entry with ID '" + id + "'");
        }
        return c;
    }
}
