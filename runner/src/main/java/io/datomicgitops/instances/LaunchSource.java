package io.datomicgitops.instances;

import java.util.Optional;

/**
 * What an instance was launched from, or what the group launches from now: a launch template (id and version
 * number) or a launch configuration (name). An instance is old when its source differs from the group's.
 *
 * <p>On AWS the truth about an instance is what it was launched with: EC2 tags every instance launched from a launch
 * template with {@code aws:ec2launchtemplate:id} and {@code aws:ec2launchtemplate:version} (the resolved number), and
 * Auto Scaling reports the launch configuration per instance. A group's "$Latest"/"$Default" is resolved to its number
 * before comparing. When an instance's version cannot be known, it counts as old: replacing a current instance costs
 * one failover; keeping an old one keeps the old configuration running.
 */
public record LaunchSource(Kind kind, String id, String version) {
    public enum Kind { TEMPLATE, CONFIGURATION, NONE }

    public static final String TAG_TEMPLATE_ID = "aws:ec2launchtemplate:id";
    public static final String TAG_TEMPLATE_VERSION = "aws:ec2launchtemplate:version";

    public static LaunchSource template(String id, String version) {
        return new LaunchSource(Kind.TEMPLATE, id, version);
    }

    public static LaunchSource configuration(String name) {
        return new LaunchSource(Kind.CONFIGURATION, name, null);
    }

    public static LaunchSource none() {
        return new LaunchSource(Kind.NONE, null, null);
    }

    /** Why {@code instance} is old compared with this (the group's) source; empty when it is current. */
    public Optional<String> whyOld(LaunchSource instance) {
        switch (kind) {
            case CONFIGURATION -> {
                if (instance.kind != Kind.CONFIGURATION) return Optional.of("not launched from a launch configuration; the group uses " + this);
                if (!id.equals(instance.id)) return Optional.of("launched from " + instance + "; the group uses " + this);
                return Optional.empty();
            }
            case TEMPLATE -> {
                if (instance.kind != Kind.TEMPLATE) return Optional.of("not launched from a launch template; the group uses " + this);
                if (instance.id != null && !id.equals(instance.id)) return Optional.of("launched from " + instance + "; the group uses " + this);
                if (!isNumber(instance.version)) return Optional.of("its launch template version is unknown ("
                        + instance.version + "); the group uses " + this);
                if (!instance.version.equals(version)) return Optional.of("launched from " + instance + "; the group uses " + this);
                return Optional.empty();
            }
            default -> {
                return Optional.of("the group has no launch template or configuration to compare with");
            }
        }
    }

    static boolean isNumber(String s) {
        return s != null && !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TEMPLATE -> "launch template " + id + " version " + version;
            case CONFIGURATION -> "launch configuration " + id;
            case NONE -> "nothing known";
        };
    }
}
