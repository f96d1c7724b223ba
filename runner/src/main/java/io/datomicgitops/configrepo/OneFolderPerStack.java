package io.datomicgitops.configrepo;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One folder per stack: two folders naming one CloudFormation stack (or one Datomic storage table) in one region
 * would take turns deploying it, each apply replacing the transactors and swapping the storage the other set. The
 * whole repo is checked, not only the selected folders: the other folder deploys the same stack on its own runs.
 */
public final class OneFolderPerStack {
    private OneFolderPerStack() {}

    public static void require(Path repoRoot) {
        Map<String, StackFolder> stacks = new HashMap<>();
        Map<String, StackFolder> tables = new HashMap<>();
        for (StackFolder f : StackSelection.all(repoRoot)) {
            Optional<PropertiesFile> deploy = readable(f, StackFolder.DEPLOY);
            Optional<PropertiesFile> cf = readable(f, StackFolder.CF);
            Optional<PropertiesFile> tx = readable(f, StackFolder.TRANSACTOR);
            Optional<String> region = deploy.flatMap(d -> d.get("aws-region")).or(() -> cf.flatMap(c -> c.get("aws-region")));
            Optional<String> stackName = deploy.flatMap(d -> d.get("stack-name"));
            if (stackName.isPresent()) {
                refuseSecond(stacks, "the stack " + stackName.get() + region.map(r -> " in " + r).orElse(""), f,
                        StackFolder.DEPLOY, "stack-name");
            }
            Optional<String> table = tx.filter(t -> t.get("protocol", "").equals("ddb")).flatMap(t -> t.get("aws-dynamodb-table"));
            if (table.isPresent()) {
                Optional<String> tableRegion = tx.flatMap(t -> t.get("aws-dynamodb-region")).or(() -> region);
                refuseSecond(tables, "the DynamoDB table " + table.get() + tableRegion.map(r -> " in " + r).orElse(""), f,
                        StackFolder.TRANSACTOR, "aws-dynamodb-table");
            }
        }
    }

    private static void refuseSecond(Map<String, StackFolder> seen, String what, StackFolder folder, String file, String key) {
        StackFolder first = seen.putIfAbsent(what, folder);
        if (first != null) {
            throw new ToolException(ExitCode.INVALID_CONFIG, first.relativeDir() + " and " + folder.relativeDir() + " both deploy "
                    + what + ": each would replace what the other deployed", folder.gitPath(file),
                    "give each folder its own " + key + ", or delete the copy");
        }
    }

    /** A folder's file as far as it can be read here; what is wrong with it is said when that folder is planned. */
    private static Optional<PropertiesFile> readable(StackFolder f, String name) {
        Path p = f.file(name);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(f.dir())) return Optional.empty();
        try {
            return Optional.of(PropertiesFile.read(p));
        } catch (ToolException e) {
            return Optional.empty();
        }
    }
}
