package io.datomicgitops.cli;

import picocli.CommandLine;

/** The list of subcommands, in the order --help shows them. Each command is one class in this package. */
final class Commands {
    private Commands() {}

    static void register(CommandLine cl) {
        for (Object command : new Object[]{
                // the GitOps flow
                new CheckoutCommand(),
                new PlanCommand(),
                new ApplyCommand(),
                new DeployCommand(),
                new StatusCommand(),
                new HistoryCommand(),
                new DriftCommand(),
                // bin/datomic's commands, in the runbook's order, and the steps after them
                new EnsureTransactorCommand(),
                new EnsureCfCommand(),
                new CreateCfTemplateCommand(),
                new CreateCfStackCommand(),
                new UpdateStackCommand(),
                new ReplaceInstancesCommand(),
                // tools
                new ValidateCommand(),
                new ForceUnlockCommand(),
        }) {
            cl.addSubcommand(command);
        }
    }
}
