package io.datomicgitops.jenkins.harness;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code pullRequest} global of the Pipeline: GitHub plugin (pipeline-github), as the library uses it: {@code
 * comment(String body)} adds a comment to the pull request the build is for (its PullRequestGroovyObject, whose
 * whitelisted method takes the body as one String; a Map or anything else is no such method). The global exists only
 * when the plugin is installed; on a job that is not a pull request the plugin fails to create it.
 */
public final class PullRequestGlobal implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Adds BODY as a comment to the pull request; returns the comment (its id and body, as IssueCommentGroovyObject). */
    public Map<String, Object> comment(String body) {
        if (body == null) throw new NullPointerException("body is a required argument");
        Build b = Globals.current();
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("body", body);
        b.record(new StepCall("pullRequest.comment", new Object[]{args}), args);
        b.log("Commented on pull request #" + b.environment().get("CHANGE_ID"));
        Map<String, Object> comment = new LinkedHashMap<>();
        comment.put("id", (long) b.steps("pullRequest.comment").size());
        comment.put("body", body);
        return comment;
    }
}
