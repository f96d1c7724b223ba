package io.datomicgitops.guard;

import io.datomicgitops.configrepo.StackInputs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The plan's guard section: which alarms guard the deployment, CloudFormation's monitoring time and the bake time. */
public final class GuardMarkdown {
    private GuardMarkdown() {}

    /** The section for a stack, or nothing when no alarm guards it (or the plan has no stack files, as in some tests). */
    public static String render(StackInputs in) {
        if (in == null) return "";
        GuardSettings s = GuardSettings.from(in.deploy(), in.tx(), in.region());
        if (!s.enabled()) return "";
        List<String> alarms = new ArrayList<>();
        s.alarms().forEach(a -> alarms.add("`" + a + "`"));
        if (s.standardAlarms()) {
            alarms.add("`" + StandardAlarms.alarmName(in.stackName()) + "` (standard: " + StandardAlarms.ALARM_METRIC + " > 0)");
            alarms.add("`" + StandardAlarms.heartbeatName(in.stackName()) + "` (standard: " + StandardAlarms.HEARTBEAT_METRIC
                    + " missing for " + StandardAlarms.HEARTBEAT_MINUTES + " min)");
        }
        return "### Guard\n\n"
                + "Alarms: " + String.join(", ", alarms) + ".\n\n"
                + "They are the stack update's rollback triggers (monitoring " + human(s.monitoring()) + "), then apply watches them for "
                + human(s.bake()) + " (bake) after the last new transactor is active: an alarm in ALARM rolls the deployment back "
                + "to the previous template and instances, and the apply fails. A stack's first deployment is not guarded.\n\n";
    }

    /** 5m, 90s, 1h30m: a duration as deploy.properties writes it. */
    static String human(Duration d) {
        if (d.isZero()) return "0m";
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        StringBuilder sb = new StringBuilder();
        if (d.toHours() > 0) sb.append(d.toHours()).append('h');
        if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) sb.append(d.toSecondsPart()).append('s');
        return sb.toString();
    }
}
