package io.datomicgitops.lock;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The line of runs waiting for one stack's lock, first come first served: one item of the lock table per stack (key
 * {@code <stack>#queue}, which no CloudFormation stack name can be) holding a counter and a map of tickets. A waiter
 * joins with a write conditional on the counter it read, so two waiters joining at once never draw the same number:
 * one of them reads again and draws the next. Every other write touches one ticket only (renew, leave, prune), so
 * none of them can undo another's; a join that supersedes marks the tickets it replaces in the same conditional write. A ticket lasts {@link #TICKET_LEASE} unless its waiter renews it at each look: a
 * waiter that died drops out of the line by itself, and the line never waits for it for longer.
 *
 * <p>The line orders who may try to take the lock; the lock itself stays the only thing that grants it (a conditional
 * write, its lease, the fencing of a lost lease), so a line that is wrong for a moment can delay a run, never let two
 * runs deploy at once.
 */
final class LockQueue {
    /** How long a ticket lasts without its waiter's renewal: a dozen looks at {@link StackLock#POLL}. */
    static final Duration TICKET_LEASE = Duration.ofMinutes(1);
    /** A build URL's build number at its end: a newer build of the same job differs only there. */
    private static final Pattern BUILD_NUMBER = Pattern.compile("/\\d+/?$");

    private static final String TICKETS = "Tickets";
    private static final String NEXT = "NextTicket";

    /** A place in line: its number orders the line (ties, impossible by construction, go by id). */
    record Ticket(String id, long number, String who, String where, String job, Instant expires, String supersededBy) {
        boolean expiredAt(Instant now) {
            return expires.isBefore(now);
        }

        boolean superseded() {
            return supersededBy != null;
        }

        /** Who waits, as a line of the queue names it: the build (or clone) first, since that is what a reader looks for. */
        String describe() {
            return where + " (" + who + ")";
        }
    }

    private final DynamoDbClient db;
    private final String table;
    private final String stack;
    private final Clock clock;

    LockQueue(DynamoDbClient db, String table, String stack, Clock clock) {
        this.db = db;
        this.table = table;
        this.stack = stack;
        this.clock = clock;
    }

    /**
     * The job a build belongs to: its build URL without the build number (Jenkins: {@code .../job/deploy/41/} is
     * build 41 of {@code .../job/deploy/}); anything else (a clone's directory) is its own job.
     */
    static String jobOf(String where) {
        return BUILD_NUMBER.matcher(where).replaceFirst("/");
    }

    /** Every ticket, expired and superseded ones included, in line order. */
    List<Ticket> tickets() {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(table).key(key()).consistentRead(true)).item();
        return tickets(item);
    }

    /** The tickets still in line (neither expired nor superseded), in order. */
    static List<Ticket> inLine(List<Ticket> all, Instant now) {
        return all.stream().filter(t -> !t.expiredAt(now) && !t.superseded()).toList();
    }

    /** Removes the tickets that ran out: each only if it still has the expiry read, so a renewal in between wins. */
    void prune(List<Ticket> all, Instant now) {
        for (Ticket t : all) {
            if (!t.expiredAt(now)) continue;
            try {
                db.updateItem(r -> r.tableName(table).key(key())
                        .updateExpression("REMOVE #t.#id")
                        .conditionExpression("#t.#id.Expires = :e")
                        .expressionAttributeNames(Map.of("#t", TICKETS, "#id", t.id()))
                        .expressionAttributeValues(Map.of(":e", n(t.expires().getEpochSecond()))));
            } catch (ConditionalCheckFailedException e) {
                // renewed or removed since: not ours to remove
            }
        }
    }

    /**
     * Takes a place at the end of the line; with {@code supersede}, the place of the first waiting ticket of the same
     * job instead, marking every waiting ticket of that job superseded (their waiters see it at their next look, and
     * stop). Returns the ticket taken and the tickets it superseded.
     */
    Joined join(String id, String who, String where, boolean supersede) {
        String job = jobOf(where);
        while (true) {
            Map<String, AttributeValue> item = db.getItem(r -> r.tableName(table).key(key()).consistentRead(true)).item();
            Instant now = clock.instant();
            boolean exists = item != null && item.containsKey(NEXT);
            long next = exists ? Long.parseLong(item.get(NEXT).n()) : 0;
            List<Ticket> older = supersede
                    ? inLine(tickets(item), now).stream().filter(t -> t.job().equals(job) && !t.id().equals(id)).toList()
                    : List.of();
            long number = older.isEmpty() ? next + 1 : older.get(0).number();
            Ticket mine = new Ticket(id, number, who, where, job, now.plus(TICKET_LEASE), null);

            Map<String, String> names = new HashMap<>(Map.of("#t", TICKETS, "#next", NEXT));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":n1", n(next + 1)));
            List<String> sets = new ArrayList<>();
            List<String> conditions = new ArrayList<>();
            if (exists) {
                sets.add("#t.#me = :me");
                names.put("#me", id);
                values.put(":me", ticketValue(mine));
                conditions.add("#next = :n");
                values.put(":n", n(next));
            } else {
                sets.add("#t = :tickets");
                values.put(":tickets", AttributeValue.builder().m(Map.of(id, ticketValue(mine))).build());
                conditions.add("attribute_not_exists(#next)");
            }
            sets.add("#next = :n1");
            for (int i = 0; i < older.size(); i++) {
                names.put("#o" + i, older.get(i).id());
                sets.add("#t.#o" + i + ".SupersededBy = :by");
                conditions.add("attribute_exists(#t.#o" + i + ")");
            }
            if (!older.isEmpty()) values.put(":by", s(mine.describe()));
            try {
                db.updateItem(r -> r.tableName(table).key(key())
                        .updateExpression("SET " + String.join(", ", sets))
                        .conditionExpression(String.join(" AND ", conditions))
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values));
                return new Joined(mine, older);
            } catch (ConditionalCheckFailedException e) {
                // another waiter joined (or a superseded ticket left) between our read and our write: read again
            }
        }
    }

    /** A ticket taken, and the waiting tickets of the same job it took the place of. */
    record Joined(Ticket ticket, List<Ticket> superseded) {}

    /** Keeps a ticket in line for another {@link #TICKET_LEASE}; false when it is no longer there (expired and removed). */
    boolean renew(Ticket t) {
        try {
            db.updateItem(r -> r.tableName(table).key(key())
                    .updateExpression("SET #t.#id.Expires = :e")
                    .conditionExpression("attribute_exists(#t.#id)")
                    .expressionAttributeNames(Map.of("#t", TICKETS, "#id", t.id()))
                    .expressionAttributeValues(Map.of(":e", n(clock.instant().plus(TICKET_LEASE).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Leaves the line (took the lock, gave up, failed or was superseded); a ticket gone already is fine. Quiet: a
     * ticket that could not be removed runs out within {@link #TICKET_LEASE}, and the run has its own outcome to say.
     */
    void leaveQuietly(Ticket t) {
        try {
            db.updateItem(r -> r.tableName(table).key(key())
                    .updateExpression("REMOVE #t.#id")
                    .conditionExpression("attribute_exists(#t)") // never creates the line's item
                    .expressionAttributeNames(Map.of("#t", TICKETS, "#id", t.id())));
        } catch (RuntimeException e) {
            // runs out with its lease
        }
    }

    private static List<Ticket> tickets(Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey(TICKETS)) return List.of();
        List<Ticket> out = new ArrayList<>();
        item.get(TICKETS).m().forEach((id, v) -> {
            Map<String, AttributeValue> m = v.m();
            out.add(new Ticket(id, Long.parseLong(m.get("Number").n()), m.get("Who").s(), m.get("Where").s(), m.get("Job").s(),
                    Instant.ofEpochSecond(Long.parseLong(m.get("Expires").n())),
                    Optional.ofNullable(m.get("SupersededBy")).map(AttributeValue::s).orElse(null)));
        });
        out.sort(Comparator.comparingLong(Ticket::number).thenComparing(Ticket::id));
        return out;
    }

    private static AttributeValue ticketValue(Ticket t) {
        return AttributeValue.builder().m(Map.of("Number", n(t.number()), "Who", s(t.who()), "Where", s(t.where()),
                "Job", s(t.job()), "Expires", n(t.expires().getEpochSecond()))).build();
    }

    private Map<String, AttributeValue> key() {
        return Map.of(StackLock.KEY, s(stack + "#queue"));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v == null || v.isEmpty() ? "-" : v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
