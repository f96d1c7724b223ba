package io.datomicgitops.stack;

import io.datomicgitops.report.Log;
import io.datomicgitops.stack.StackResult.StackEventLine;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsResponse;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Streams a stack's events to the log as they appear: remembers the newest event seen, and on each poll prints
 * only what came after it, oldest first (DescribeStackEvents lists newest first, a page at a time).
 */
final class StackEvents {
    private static final int MAX_PAGES_PER_POLL = 20;
    private static final String STACK_TYPE = "AWS::CloudFormation::Stack";

    private final CloudFormationClient cf;
    private final String stackName;
    private final Log log;
    private final List<StackEventLine> seen = new ArrayList<>();
    private String newestId;
    private boolean stackEventSeen;

    StackEvents(CloudFormationClient cf, String stackName, Log log) {
        this.cf = cf;
        this.stackName = stackName;
        this.log = log;
    }

    /** Everything up to now is history: later polls report only newer events. */
    void markNow() {
        DescribeStackEventsResponse page = cf.describeStackEvents(r -> r.stackName(stackName));
        newestId = page.stackEvents().isEmpty() ? null : page.stackEvents().get(0).eventId();
    }

    /** Fetches the events since the last poll, logs them oldest first, and returns them. */
    List<StackEventLine> poll() {
        List<StackEvent> fresh = new ArrayList<>();
        String token = null;
        int pages = 0;
        outer:
        do {
            String t = token;
            DescribeStackEventsResponse page = cf.describeStackEvents(r -> r.stackName(stackName).nextToken(t));
            for (StackEvent e : page.stackEvents()) {
                if (e.eventId().equals(newestId)) break outer;
                fresh.add(e);
            }
            token = page.nextToken();
        } while (token != null && ++pages < MAX_PAGES_PER_POLL);
        if (!fresh.isEmpty()) newestId = fresh.get(0).eventId();
        Collections.reverse(fresh);
        List<StackEventLine> lines = new ArrayList<>();
        for (StackEvent e : fresh) {
            StackEventLine line = new StackEventLine(String.valueOf(e.timestamp()), e.logicalResourceId(), e.resourceType(),
                    e.resourceStatusAsString(), e.resourceStatusReason(), e.physicalResourceId());
            if (STACK_TYPE.equals(e.resourceType()) && stackName.equals(e.logicalResourceId())) stackEventSeen = true;
            log.progress(stackName + ": " + line.describe());
            lines.add(line);
        }
        seen.addAll(lines);
        return lines;
    }

    /** True once an event of the stack itself (not a resource) came after the mark: the operation has begun. */
    boolean operationStarted() {
        return stackEventSeen;
    }

    List<StackEventLine> all() {
        return List.copyOf(seen);
    }

    /**
     * The resource events that name a failure, oldest first: the first one is usually the cause. The stack's own
     * *_FAILED event only repeats the status, so it is left out.
     */
    List<StackEventLine> failures() {
        return seen.stream().filter(e -> StackStatuses.failedEvent(e.status()))
                .filter(e -> !(STACK_TYPE.equals(e.resourceType()) && stackName.equals(e.logicalId())))
                .toList();
    }
}
