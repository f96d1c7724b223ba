package io.datomicgitops.cli;

import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackSelection;
import io.datomicgitops.git.GitRepo;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which config repo clone and which of its stacks a flow command works on. */
public final class StackOptions {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the config repo clone (see checkout)")
    Path dir;

    @Option(names = "--stack", paramLabel = "NAME", description = "a stack folder under stacks/ (repeatable; default: all, or those changed since --since)")
    List<String> stacks = new ArrayList<>();

    @Option(names = "--since", paramLabel = "REV", description = "only the stacks whose folder changed between REV and HEAD (e.g. origin/main on a PR)")
    String since;

    @Option(names = "--adopt", description = "a stack exists but generated keys are missing from its files: take the names from the stack")
    boolean adopt;

    @Option(names = "--allow-new-resources", description = "a stack exists but generated keys are missing from its files: create new resources anyway")
    boolean allowNewResources;

    @Option(names = "--allow-launch-change", description = "let the template switch the stack between a launch configuration and a launch template (template.launch)")
    boolean allowLaunchChange;

    io.datomicgitops.deploy.DeployContext.Allowances allowances() {
        return new io.datomicgitops.deploy.DeployContext.Allowances(adopt, allowNewResources, allowLaunchChange);
    }

    List<StackFolder> select(GitRepo repo) {
        return StackSelection.select(repo.directory(), stacks, Optional.ofNullable(since), repo);
    }

    /** The stacks plan, apply and deploy work on, once no two folders of the repo deploy one stack. */
    List<StackFolder> selectToDeploy(GitRepo repo) {
        List<StackFolder> selected = select(repo);
        io.datomicgitops.configrepo.OneFolderPerStack.require(repo.directory());
        return selected;
    }
}
