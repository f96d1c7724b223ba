package io.datomicgitops.cli;

import picocli.CommandLine;

/** The list of subcommands, in the order --help shows them. Each command is one class in this package. */
final class Commands {
    private Commands() {}

    static void register(CommandLine cl) {
        for (Object command : new Object[]{
                new CheckoutCommand(),
                new PlanCommand(),
                new ApplyCommand(),
                new DeployCommand(),
                new StatusCommand(),
                new ValidateCommand(),
                new CreateCfTemplateCommand(),
                new ForceUnlockCommand(),
                new EnsureTransactorCommand(),
                new EnsureCfCommand(),
                new UpdateStackCommand(),
                new CreateCfStackCommand(),
                new ReplaceInstancesCommand(),
        }) {
            cl.addSubcommand(command);
        }
    }
}
