package io.datomicgitops.stack;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stack tags that say who deploys the stack and from where: the tool, the config repo, the commit. CloudFormation
 * copies stack tags to the resources that take tags, so a new commit makes a tags-only update (nothing replaced).
 */
public final class StackTags {
    public static final String TOOL = "datomic-gitops:tool";
    public static final String CONFIG_REPO = "datomic-gitops:config-repo";
    public static final String COMMIT = "datomic-gitops:commit";
    private static final int MAX_VALUE = 256;

    private StackTags() {}

    public static Map<String, String> of(Optional<String> configRepo, Optional<String> commit) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TOOL, "datomic-gitops");
        configRepo.filter(s -> !s.isBlank()).map(StackTags::withoutCredentials).ifPresent(r -> tags.put(CONFIG_REPO, clip(r)));
        commit.filter(s -> !s.isBlank()).ifPresent(c -> tags.put(COMMIT, clip(c.trim())));
        return tags;
    }

    /** A repo URL can carry a token (https://user:token@host/...): a tag is public to anyone who can read the stack. */
    static String withoutCredentials(String url) {
        String u = url.trim();
        try {
            URI uri = URI.create(u);
            if (uri.getScheme() != null && uri.getRawUserInfo() != null && uri.getHost() != null) {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
            }
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            // not a URL (git@host:path or a local path): nothing secret in it
        }
        return u;
    }

    private static String clip(String value) {
        return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE);
    }
}
