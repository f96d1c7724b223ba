package io.datomicgitops;

/** The runner's exit codes; documented in the README. Plan's 0/1/2 follow terraform's detailed exit code. */
public enum ExitCode {
    OK(0, "success, or nothing to do"),
    FAILED(1, "the operation failed (AWS error, failed stack, failed replacement)"),
    CHANGES_PENDING(2, "plan only: changes are pending"),
    INVALID_CONFIG(3, "a properties file or setting is invalid"),
    GIT(4, "a git operation failed (clone, fetch, conflict, push rejected)"),
    AWS_ACCESS(5, "AWS credentials are missing or a call was denied"),
    LOCKED(6, "another deployment holds the stack's lock"),
    TIMEOUT(7, "a wait exceeded its timeout"),
    PLAN_CHANGED(8, "apply --plan: what apply would do is not the saved plan that was approved; nothing was changed"),
    SUPERSEDED(9, "apply --supersede: a newer build of the same job took this run's place in line for a stack's lock; it stopped before deploying that stack"),
    USAGE(64, "bad command-line arguments"),
    INTERRUPTED(130, "interrupted by SIGINT or SIGTERM (Ctrl-C, a Jenkins abort): the locks it held released, report.json says where it stopped and what to do");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }
}
