package io.datomicgitops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * CloudFormation rolling a stack update back, which moto does not do (it applies a change set within the call): a
 * loopback proxy in front of the sandbox that, once armed for a stack, answers its ExecuteChangeSet itself without
 * passing it on (so the sandbox's stack keeps its template, as a rolled-back stack does), then reports the stack
 * UPDATE_ROLLBACK_COMPLETE and adds the events CloudFormation writes on the way (the resource's UPDATE_FAILED with
 * its reason first). It can also fail one call of an action (a replacement's TerminateInstanceInAutoScalingGroup). Every
 * other request goes to the sandbox unchanged. Test code only.
 */
public final class RollbackProxy implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI target;
    private volatile String armedStack;
    private volatile String failureReason;
    private volatile String rolledBackStack;
    private volatile Instant rolledBackAt;
    private volatile String failAction;
    private volatile String failMessage;

    private RollbackProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rollback-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static RollbackProxy start(URI sandbox) throws IOException {
        return new RollbackProxy(sandbox);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next update of this stack fails on its group with this reason and is rolled back. */
    public void rollBackNextUpdate(String stackName, String reason) {
        this.failureReason = reason;
        this.armedStack = stackName;
    }

    /** The next call of this action (any service speaking the query protocol: CloudFormation, Auto Scaling) fails with a ValidationError. */
    public void failNext(String action, String message) {
        this.failMessage = message;
        this.failAction = action;
    }

    /** True once an update was rolled back. */
    public boolean rolledBack() {
        return rolledBackStack != null;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            String action = form.getOrDefault("Action", "");
            String stack = form.get("StackName");
            if (action.equals(failAction)) {
                failAction = null;
                respond(ex, 400, "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>" + xml(failMessage)
                        + "</Message></Error><RequestId>rollback-proxy</RequestId></ErrorResponse>");
                return;
            }
            if ("ExecuteChangeSet".equals(action) && stack != null && stack.equals(armedStack)) {
                armedStack = null;
                rolledBackAt = Instant.now();
                rolledBackStack = stack;
                respond(ex, 200, "<ExecuteChangeSetResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                        + "<ExecuteChangeSetResult/><ResponseMetadata><RequestId>rollback-proxy</RequestId></ResponseMetadata>"
                        + "</ExecuteChangeSetResponse>");
                return;
            }
            Upstream up = Upstream.forward(target, ex, body);
            boolean ours = stack != null && stack.equals(rolledBackStack) && up.status() == 200;
            byte[] out = up.body();
            if (ours && "DescribeStacks".equals(action)) {
                out = text(up).replaceFirst("<StackStatus>[A-Z_]+</StackStatus>", "<StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>")
                        .getBytes(StandardCharsets.UTF_8);
            } else if (ours && "DescribeStackEvents".equals(action) && !form.containsKey("NextToken")) {
                out = text(up).replaceFirst("<StackEvents>", "<StackEvents>" + rollbackEvents(stack, stackId(text(up))))
                        .getBytes(StandardCharsets.UTF_8);
            }
            Upstream.respond(ex, up.status(), out, up.headers());
        } catch (IOException | RuntimeException e) {
            ex.close();
        }
    }

    /** CloudFormation's events of a rolled-back update, newest first. */
    private String rollbackEvents(String stack, String stackId) {
        Instant at = rolledBackAt;
        return event(stackId, stack, "5", stack, "AWS::CloudFormation::Stack", at.plusSeconds(4), "UPDATE_ROLLBACK_COMPLETE", null)
                + event(stackId, stack, "4", "LaunchGroup", "AWS::AutoScaling::AutoScalingGroup", at.plusSeconds(3), "UPDATE_COMPLETE", null)
                + event(stackId, stack, "3", stack, "AWS::CloudFormation::Stack", at.plusSeconds(2), "UPDATE_ROLLBACK_IN_PROGRESS",
                "The following resource(s) failed to update: [LaunchGroup].")
                + event(stackId, stack, "2", "LaunchGroup", "AWS::AutoScaling::AutoScalingGroup", at.plusSeconds(1), "UPDATE_FAILED", failureReason)
                + event(stackId, stack, "1", stack, "AWS::CloudFormation::Stack", at, "UPDATE_IN_PROGRESS", "User Initiated");
    }

    private static String event(String stackId, String stack, String n, String logicalId, String type, Instant at, String status, String reason) {
        return "<member><StackId>" + stackId + "</StackId><EventId>rollback-proxy-" + n + "</EventId><StackName>" + stack
                + "</StackName><LogicalResourceId>" + logicalId + "</LogicalResourceId><ResourceType>" + type + "</ResourceType><Timestamp>"
                + at + "</Timestamp><ResourceStatus>" + status + "</ResourceStatus>"
                + (reason == null ? "" : "<ResourceStatusReason>" + xml(reason) + "</ResourceStatusReason>") + "</member>";
    }

    private static String stackId(String xml) {
        int i = xml.indexOf("<StackId>");
        return i < 0 ? "" : xml.substring(i + 9, xml.indexOf("</StackId>", i));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String text(Upstream up) {
        return new String(up.body(), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange ex, int status, String text) throws IOException {
        Upstream.respond(ex, status, text.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", List.of("text/xml")));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
