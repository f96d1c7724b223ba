package io.datomicgitops.lock;

import io.datomicgitops.CommandLines;
import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Log;
import io.datomicgitops.wait.Backoff;
import io.datomicgitops.wait.Deadline;
import io.datomicgitops.wait.Sleeper;
import io.datomicgitops.wait.WaitProgress;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deployment lock per stack, like Terraform's state lock: a conditional write in a DynamoDB table (created on
 * first use) holding who, where and when, with a lease that expires if the holder dies. Jenkins' own `lock` is a
 * second layer on top, not a replacement.
 */
public final class StackLock {
    static final String KEY = "LockID";
    /** How often a waiting run looks again at a lock held by someone else: short next to any lease or lock wait. */
    static final Duration POLL = Duration.ofSeconds(5);
    /** How long a lock table just created may take to become ACTIVE. */
    static final Duration TABLE_WAIT = Duration.ofMinutes(5);

    private final AwsClients aws;
    private final String region;
    private final String table;
    private final Log log;
    private final Clock clock;
    private final Sleeper sleeper;
    /** The stack folder and the clone a pasted force-unlock needs; null when the caller named none. */
    private final String folder;
    private final Path clone;

    public StackLock(AwsClients aws, String region, String table, Log log, Clock clock) {
        this(aws, region, table, log, clock, Sleeper.REAL);
    }

    /** With the sleeper the lock wait uses between polls: tests pass one that advances their clock instead. */
    public StackLock(AwsClients aws, String region, String table, Log log, Clock clock, Sleeper sleeper) {
        this(aws, region, table, log, clock, sleeper, null, null);
    }

    private StackLock(AwsClients aws, String region, String table, Log log, Clock clock, Sleeper sleeper, String folder, Path clone) {
        this.aws = aws;
        this.region = region;
        this.table = table;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
        this.folder = folder;
        this.clone = clone;
    }

    /**
     * This lock as the flow takes it for a stack folder of a clone: the force-unlock command its errors and warnings
     * print names that folder (force-unlock selects a stack by folder, not by CloudFormation stack name), the clone
     * (--dir) and the region (--region), so it works when pasted from any directory.
     */
    public StackLock forFolder(String folder, Path clone) {
        return new StackLock(aws, region, table, log, clock, sleeper, folder, clone.toAbsolutePath().normalize());
    }

    /**
     * The command that removes this stack's lock held under {@code lockId}, ready to paste. Without a folder (a
     * caller outside the flow) the stack's name stands for it.
     */
    public String forceUnlockCommand(String stack, String lockId) {
        List<String> words = new ArrayList<>(List.of("datomic-gitops", "force-unlock", folder != null ? folder : stack, "--lock-id", lockId));
        if (clone != null) words.addAll(List.of("--dir", clone.toString()));
        words.addAll(List.of("--region", region != null && !region.isBlank() ? region : aws.defaultRegion().id()));
        return CommandLines.of(words);
    }

    /** Who holds a lock: a person or build, the machine and process, since when, and until when unless renewed. */
    public record Holder(String lockId, String stack, String who, String where, String host, long pid, Instant acquired, Instant expires) {
        String describe() {
            return who + " (" + where + ", pid " + pid + " on " + host + ") since " + acquired + ", lease until " + expires
                    + ", lock id " + lockId;
        }
    }

    /**
     * The leases this process holds (taken, not released yet): a run interrupted by a signal releases them before it
     * exits. One process runs one command, so these are its locks.
     */
    private static final java.util.Set<Lease> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The locks this process holds now. */
    public static List<Lease> held() {
        return List.copyOf(HELD);
    }

    /** A place in line this process holds, for {@link #leaveLines}. */
    private record Waiting(String stack, LockQueue queue, LockQueue.Ticket ticket) {}

    /**
     * The places in line this process holds, by ticket id: a run interrupted by a signal gives them up before it
     * exits, so the runs behind it do not wait for its ticket to run out (a minute).
     */
    private static final Map<String, Waiting> WAITING = new ConcurrentHashMap<>();
    /** Tickets given up by {@link #leaveLines}: the run that held one stops instead of joining the line again. */
    private static final Set<String> LEFT = ConcurrentHashMap.newKeySet();

    /**
     * For a run interrupted by a signal, on the signal's thread: gives up every place in line this process holds (the
     * waiting thread, which goes on until the exit, then stops instead of joining again); the stacks whose line it left.
     */
    public static List<String> leaveLines() {
        List<String> stacks = new ArrayList<>();
        WAITING.forEach((id, waiting) -> {
            LEFT.add(id);
            waiting.queue().leaveQuietly(waiting.ticket());
            stacks.add(waiting.stack());
        });
        return stacks;
    }

    /**
     * A held lock, renewed in the background while held; closing it releases it (only if it is still ours). A lease
     * that is lost (taken over after it ran out, removed by force-unlock, or not renewed in time) stops every later
     * mutating call of the run's AWS clients before it is sent: the loser changes nothing more.
     */
    public final class Lease implements AutoCloseable {
        private final Holder holder;
        private final Duration lease;
        private final java.util.concurrent.ScheduledExecutorService renewer;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean released;
        /** Until when the lock is ours for sure: the expiry of the last write that landed. */
        private volatile Instant heldUntil;
        /** Why the lock is no longer ours; null while it is. */
        private volatile String lost;
        private final io.datomicgitops.aws.MutationGate.Check stillHeld = this::requireHeld;

        private Lease(Holder holder, Duration lease) {
            this.holder = holder;
            this.lease = lease;
            this.heldUntil = holder.expires();
            HELD.add(this);
            aws.mutationGate().add(stillHeld);
            this.renewer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lock-renewer");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1, lease.toSeconds() / 3);
            renewer.scheduleAtFixedRate(() -> renew(lease), every, every, java.util.concurrent.TimeUnit.SECONDS);
        }

        /** Stops a mutating call once the lock is lost; the lock table's own calls (renewal, release) pass. */
        private void requireHeld(String call, software.amazon.awssdk.core.SdkRequest request) {
            if (request.getValueForField("TableName", String.class).filter(table::equals).isPresent()) return;
            String why = lostReason();
            if (why == null) return;
            throw new ToolException(ExitCode.LOCKED, "this run lost the lock on " + holder.stack() + " (" + why + "): stopped before "
                    + call + ", which was not sent, nor anything after it", "lock table " + table,
                    "find out who deploys the stack now (status), let that finish, then run again: its plan shows what this run left");
        }

        /** Why the lock is lost, or null while it is ours: taken from us, or its lease ran out without a renewal. */
        String lostReason() {
            if (lost == null && clock.instant().isAfter(heldUntil)) {
                lose("its lease ran out at " + heldUntil + " without a renewal");
            }
            return lost;
        }

        private void lose(String why) {
            if (lost != null) return;
            lost = why;
            log.warn("lock: this run lost the lock on " + holder.stack() + " (" + why + "): it stops before its next change");
        }

        /** The command that removes this lock, ready to paste (for a run that could not release it). */
        public String forceUnlockCommand() {
            return StackLock.this.forceUnlockCommand(holder.stack(), holder.lockId());
        }

        public Holder holder() {
            return holder;
        }

        /** Renews the lease, if the lock is still ours; a lock found taken is lost. Runs on the renewer's thread. */
        void renew(Duration lease) {
            if (lost != null) return;
            Instant until = clock.instant().plus(lease);
            try {
                db().updateItem(r -> r.tableName(table).key(key(holder.stack()))
                        .updateExpression("SET Expires = :e")
                        .conditionExpression("LockOwner = :id")
                        .expressionAttributeValues(Map.of(":e", n(until.getEpochSecond()), ":id", s(holder.lockId()))));
                heldUntil = until;
            } catch (ConditionalCheckFailedException e) {
                lose(StackLock.this.holder(holder.stack()).map(h -> "taken over by " + h.describe())
                        .orElse("removed from the lock table (force-unlock?)"));
            } catch (RuntimeException e) {
                log.warn("could not renew the lock on " + holder.stack() + ": " + e.getMessage());
            }
        }

        /**
         * Releases the lock. A failure here only warns: the deployment is done, and the lock, no longer renewed,
         * runs out with its lease (or force-unlock removes it at once).
         */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) return; // released already (by an interrupted run's signal path)
            HELD.remove(this);
            aws.mutationGate().remove(stillHeld);
            renewer.shutdownNow();
            try {
                db().deleteItem(r -> r.tableName(table).key(key(holder.stack()))
                        .conditionExpression("LockOwner = :id")
                        .expressionAttributeValues(Map.of(":id", s(holder.lockId()))));
                released = true;
            } catch (ConditionalCheckFailedException e) {
                // gone already (a retried delete whose first attempt landed) is released; someone else's is theirs
                released = true;
                StackLock.this.holder(holder.stack()).ifPresent(h -> log.warn("the lock on " + holder.stack()
                        + " was no longer ours at release (expired and taken over?): now held by " + h.describe()));
            } catch (SdkException e) {
                log.warn("could not release the lock on " + holder.stack() + " (" + e.getMessage() + "); it runs out within "
                        + lease.toMinutes() + " minute(s), or remove it now: " + forceUnlockCommand());
            }
        }

        /**
         * Whether {@link #close()} removed the lock (or found it no longer this run's). False after a release that
         * failed: the clone's note of the lock is then kept, so the next run in the clone releases it by its id at
         * once instead of waiting for the lease.
         */
        public boolean released() {
            return released;
        }

        /** How long the lock lasts unless renewed: a lock that could not be released runs out within it. */
        public Duration lease() {
            return lease;
        }

        /**
         * Releases the lock for a run that is being interrupted: stops renewing it and deletes it if it is still ours,
         * waiting at most {@code within} for DynamoDB (the process is about to exit, and its main thread still runs).
         * Quiet: empty when the lock is released (or no longer ours), else why it is not.
         */
        public Optional<String> releaseWithin(Duration within) {
            closed.set(true); // the main thread's close() leaves it to this
            HELD.remove(this);
            aws.mutationGate().remove(stillHeld);
            renewer.shutdownNow();
            java.util.concurrent.FutureTask<Optional<String>> delete = new java.util.concurrent.FutureTask<>(() -> {
                try {
                    db().deleteItem(r -> r.tableName(table).key(key(holder.stack()))
                            .conditionExpression("LockOwner = :id")
                            .expressionAttributeValues(Map.of(":id", s(holder.lockId()))));
                    return Optional.<String>empty();
                } catch (ConditionalCheckFailedException e) {
                    return Optional.<String>empty(); // gone already, or expired and taken over: nothing of ours is left
                } catch (RuntimeException e) {
                    String m = String.valueOf(e.getMessage());
                    return Optional.of(m.lines().findFirst().orElse(m));
                }
            });
            Thread t = new Thread(delete, "lock-release");
            t.setDaemon(true);
            t.start();
            try {
                return delete.get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return Optional.of("DynamoDB did not answer within " + WaitProgress.human(within));
            } catch (java.util.concurrent.ExecutionException e) {
                return Optional.of(String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        }
    }

    /** As {@link #acquire(String, String, String, Duration, LockWait)}, waiting in line without superseding anyone. */
    public Lease acquire(String stack, String who, String where, Duration lease, Duration wait) {
        return acquire(stack, who, where, lease, LockWait.of(wait));
    }

    /**
     * Takes the stack's lock, waiting up to {@code wait} for a holder to release it (zero: fail at once). Waiters take
     * the lock in the order they came ({@link LockQueue}): a run waits with a ticket in line, says its place, and
     * tries to take the lock only when no one who came before it still waits. Only a lock whose lease has expired is
     * taken over: host and pid are no identity (PID namespaces, containers), so a holder that looks dead may be alive
     * elsewhere. The lease is renewed while held, so it only runs out when the holder is gone. A run of a clone notes
     * the lock id in the clone before it writes the lock ({@link HeldLocks}): killed at any point after, the next run
     * of the clone releases that lock by its id at once.
     */
    public Lease acquire(String stack, String who, String where, Duration lease, LockWait wait) {
        if (lease.compareTo(io.datomicgitops.config.DeploySettings.MIN_LOCK_LEASE) < 0) {
            throw new IllegalArgumentException("a lock lease of " + lease + " could run out between two renewals");
        }
        ensureTable();
        LockQueue queue = new LockQueue(db(), table, stack, clock);
        Deadline deadline = Deadline.after(clock, wait.upTo());
        WaitProgress progress = new WaitProgress(log, deadline);
        LockQueue.Ticket ticket = null;
        String placeId = null; // this run's latest place in line, kept once the place is lost
        try {
            while (true) {
                if (placeId != null && LEFT.contains(placeId)) throw leftTheLine(stack);
                Instant now = clock.instant();
                List<LockQueue.Ticket> all = queue.tickets();
                queue.prune(all, now);
                if (ticket != null) ticket = stillInLine(ticket, all, stack, queue);
                List<LockQueue.Ticket> ahead = ahead(LockQueue.inLine(all, now), ticket);
                if (ahead.isEmpty()) {
                    Optional<Lease> taken = tryTake(stack, who, where, lease);
                    if (taken.isPresent()) {
                        if (ticket != null) queue.leaveQuietly(ticket);
                        return taken.get();
                    }
                }
                Optional<Holder> holder = holder(stack);
                if (holder.isEmpty() && ahead.isEmpty()) continue; // released between our write and our read
                if (deadline.passed()) throw stillLocked(stack, holder, ahead);
                if (ticket == null) {
                    ticket = joinLine(queue, stack, who, where, wait.supersede());
                    if (placeId != null) WAITING.remove(placeId);
                    placeId = ticket.id();
                    WAITING.put(placeId, new Waiting(stack, queue, ticket));
                    continue; // look again at once: the place just taken is what the next line says
                }
                if (!queue.renew(ticket)) {
                    ticket = lostPlace(stack);
                    continue;
                }
                progress.beforeSleep(waiting(stack, holder, ahead), POLL);
                sleep(POLL);
            }
        } catch (RuntimeException e) {
            if (ticket != null) queue.leaveQuietly(ticket);
            forgetNote(stack); // the lock is someone else's: nothing of ours to release
            throw e;
        } finally {
            if (placeId != null) {
                WAITING.remove(placeId);
                LEFT.remove(placeId);
            }
        }
    }

    /** The run was interrupted while it waited in line ({@link #leaveLines} gave up its place). */
    private ToolException leftTheLine(String stack) {
        return new ToolException(ExitCode.INTERRUPTED, "interrupted while waiting in line for the lock of " + stack
                + ": its place in line given up", "lock table " + table, "run again");
    }

    /** One attempt at the lock: taken when free or its lease ran out; empty when someone else holds it. */
    private Optional<Lease> tryTake(String stack, String who, String where, Duration lease) {
        Instant now = clock.instant();
        Holder mine = new Holder(UUID.randomUUID().toString(), stack, who, where, thisHost(), ProcessHandle.current().pid(),
                now, now.plus(lease));
        noteBeforeTaking(mine);
        try {
            db().putItem(r -> r.tableName(table).item(item(mine))
                    .conditionExpression("attribute_not_exists(" + KEY + ") OR Expires < :now")
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
        } catch (ConditionalCheckFailedException e) {
            // our own write may have landed and its answer been lost: the SDK's retry then found the lock taken, by us
            if (holder(stack).filter(h -> h.lockId().equals(mine.lockId())).isEmpty()) return Optional.empty();
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            // no answer the SDK could read, and its attempts ran out (each answer lost or cut mid-way): the write may
            // have landed, and then the lock is ours to hold
            if (holder(stack).filter(h -> h.lockId().equals(mine.lockId())).isEmpty()) throw e;
        }
        log.progress("lock: " + stack + " taken (lease until " + mine.expires() + ", renewed while held)");
        return Optional.of(new Lease(mine, lease));
    }

    /** Takes a place in line, at its end or, superseding, in the place of the same job's waiting build. */
    private LockQueue.Ticket joinLine(LockQueue queue, String stack, String who, String where, boolean supersede) {
        LockQueue.Joined joined = queue.join(UUID.randomUUID().toString(), who, where, supersede);
        for (LockQueue.Ticket old : joined.superseded()) {
            log.progress("lock: " + stack + ": this run takes the place in line of " + old.describe()
                    + ", an older build of the same job, which stops without deploying (--supersede)");
        }
        return joined.ticket();
    }

    /** This run's ticket as the line has it now; null when it ran out; a superseded run stops here. */
    private LockQueue.Ticket stillInLine(LockQueue.Ticket ticket, List<LockQueue.Ticket> all, String stack, LockQueue queue) {
        Optional<LockQueue.Ticket> now = all.stream().filter(t -> t.id().equals(ticket.id())).findFirst();
        if (now.isPresent() && now.get().superseded()) {
            queue.leaveQuietly(ticket);
            throw new ToolException(ExitCode.SUPERSEDED, "a newer build of the same job, " + now.get().supersededBy()
                    + ", took this run's place in line for the lock of " + stack + ": stopped before deploying " + stack,
                    "lock table " + table, "nothing to do here: the newer build deploys the branch as it is now; follow its log");
        }
        return now.isPresent() ? now.get() : lostPlace(stack);
    }

    /** This run's ticket ran out (the run was stalled for longer than its lease): it joins again, at the end. */
    private LockQueue.Ticket lostPlace(String stack) {
        log.warn("lock: this run's place in line for " + stack + " ran out (not renewed for "
                + WaitProgress.human(LockQueue.TICKET_LEASE) + "); it joins the line again at its end");
        return null;
    }

    /** The tickets in line before {@code mine}: all of them when this run has no place yet. */
    private static List<LockQueue.Ticket> ahead(List<LockQueue.Ticket> inLine, LockQueue.Ticket mine) {
        if (mine == null) return inLine;
        return inLine.stream().takeWhile(t -> !t.id().equals(mine.id())).toList();
    }

    /** What a waiting run says: who holds the lock, and its place in line behind whom. */
    private static String waiting(String stack, Optional<Holder> holder, List<LockQueue.Ticket> ahead) {
        return "lock: " + stack + holder.map(h -> " is held by " + h.describe()).orElse(" is free") + "; waiting, "
                + ordinal(ahead.size() + 1) + " in line" + (ahead.isEmpty() ? "" : " after " + names(ahead));
    }

    private ToolException stillLocked(String stack, Optional<Holder> holder, List<LockQueue.Ticket> ahead) {
        if (holder.isPresent()) {
            return new ToolException(ExitCode.LOCKED, "stack " + stack + " is locked by " + holder.get().describe()
                    + (ahead.isEmpty() ? "" : "; waiting in line before this run: " + names(ahead)), "lock table " + table,
                    "wait for that deployment to finish, pass --lock-wait, or if it died: " + forceUnlockCommand(stack, holder.get().lockId()));
        }
        return new ToolException(ExitCode.LOCKED, "the lock of stack " + stack + " is free, but " + ahead.size()
                + " run(s) came first and wait for it: " + names(ahead), "lock table " + table,
                "pass --lock-wait to wait in line after them (first come, first served); a waiter that died drops out within "
                        + WaitProgress.human(LockQueue.TICKET_LEASE));
    }

    private static String names(List<LockQueue.Ticket> tickets) {
        return String.join(", ", tickets.stream().map(LockQueue.Ticket::describe).toList());
    }

    static String ordinal(int n) {
        String suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    /** The clone's note of the lock this run is about to take; none for a caller outside a clone. */
    private void noteBeforeTaking(Holder mine) {
        notes().ifPresent(n -> n.record(new HeldLocks.Entry(mine.stack(),
                region != null && !region.isBlank() ? region : aws.defaultRegion().id(), table, mine.lockId())));
    }

    private void forgetNote(String stack) {
        notes().ifPresent(n -> n.clear(stack));
    }

    private Optional<HeldLocks> notes() {
        return Optional.ofNullable(clone).map(c -> c.resolve(".git")).filter(java.nio.file.Files::isDirectory).map(HeldLocks::new);
    }

    public Optional<Holder> holder(String stack) {
        try {
            var item = db().getItem(r -> r.tableName(table).key(key(stack)).consistentRead(true)).item();
            if (item == null || item.isEmpty()) return Optional.empty();
            return Optional.of(new Holder(item.get("LockOwner").s(), stack, item.get("Who").s(), item.get("Where").s(),
                    item.containsKey("Host") ? item.get("Host").s() : "-",
                    item.containsKey("Pid") ? Long.parseLong(item.get("Pid").n()) : 0,
                    Instant.ofEpochSecond(Long.parseLong(item.get("Acquired").n())),
                    Instant.ofEpochSecond(Long.parseLong(item.get("Expires").n()))));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Releases a lock a run of this clone left when it was killed, by its id: true when it was still there. A lock
     * with another id (expired and taken over since) is not touched.
     */
    public boolean releaseLeft(String stack, String lockId) {
        try {
            db().deleteItem(r -> r.tableName(table).key(key(stack))
                    .conditionExpression("LockOwner = :id")
                    .expressionAttributeValues(Map.of(":id", s(lockId))));
            return true;
        } catch (ConditionalCheckFailedException | ResourceNotFoundException e) {
            return false;
        }
    }

    /** Removes a lock whose holder died; the lock id must match, so a live, newer holder is never removed by mistake. */
    public void forceUnlock(String stack, String lockId) {
        try {
            db().deleteItem(r -> r.tableName(table).key(key(stack))
                    .conditionExpression("LockOwner = :id")
                    .expressionAttributeValues(Map.of(":id", s(lockId))));
        } catch (ConditionalCheckFailedException | ResourceNotFoundException e) {
            Optional<Holder> now = holder(stack);
            throw new ToolException(ExitCode.LOCKED, "stack " + stack + " is not locked with id " + lockId + " (holder: "
                    + now.map(Holder::describe).orElse("nobody") + ")", "lock table " + table,
                    now.map(h -> "another run holds it now; only if that one died too: " + forceUnlockCommand(stack, h.lockId()))
                            .orElse("nothing to remove: the stack is not locked (released, or expired and released since)"));
        }
    }

    private void ensureTable() {
        try {
            if (db().describeTable(r -> r.tableName(table)).table().tableStatus() == TableStatus.ACTIVE) return;
        } catch (ResourceNotFoundException e) {
            try {
                log.progress("lock: creating the lock table " + table);
                db().createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName(KEY).keyType(KeyType.HASH).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName(KEY).attributeType(ScalarAttributeType.S).build())
                        .tags(t -> t.key("datomic-gitops:managed-by").value("datomic-gitops")));
            } catch (ResourceInUseException raced) {
                // another run created it at the same time
            }
        }
        awaitActiveTable();
    }

    /** Waits for the lock table to be ACTIVE (just created, here or by another run), saying so at least every 30 s. */
    private void awaitActiveTable() {
        Deadline deadline = Deadline.after(clock, TABLE_WAIT);
        Backoff backoff = new Backoff(Duration.ofSeconds(1), 1.5, POLL);
        WaitProgress progress = new WaitProgress(log, deadline);
        while (true) {
            String status;
            try {
                status = db().describeTable(r -> r.tableName(table)).table().tableStatusAsString();
            } catch (ResourceNotFoundException e) {
                status = "not listed yet"; // DescribeTable is eventually consistent right after CreateTable
            }
            if (TableStatus.ACTIVE.toString().equals(status)) return;
            if (deadline.passed()) {
                throw new ToolException(ExitCode.TIMEOUT, "the lock table " + table + " is still " + status + " after "
                        + WaitProgress.human(TABLE_WAIT), "lock table " + table + " in " + region,
                        "look at the table in the DynamoDB console, then run again");
            }
            Duration next = backoff.next(deadline.remaining());
            progress.beforeSleep("lock: waiting for the lock table " + table + " to be ACTIVE: " + status, next);
            sleep(next);
        }
    }

    private DynamoDbClient db() {
        return aws.dynamoDb(region);
    }

    private static Map<String, AttributeValue> key(String stack) {
        return Map.of(KEY, s(stack));
    }

    private static Map<String, AttributeValue> item(Holder h) {
        return Map.of(KEY, s(h.stack()), "LockOwner", s(h.lockId()), "Who", s(h.who()), "Where", s(h.where()),
                "Host", s(h.host()), "Pid", n(h.pid()),
                "Acquired", n(h.acquired().getEpochSecond()), "Expires", n(h.expires().getEpochSecond()));
    }

    static String thisHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v == null || v.isEmpty() ? "-" : v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ExitCode.FAILED, "interrupted while waiting for a lock", "lock", "run again");
        }
    }
}
