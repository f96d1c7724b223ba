package io.datomicgitops.ensure;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Log;
import io.datomicgitops.wait.Sleeper;
import software.amazon.awssdk.services.iam.model.Role;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What every planner needs during one run: the clients, the options, and read-only facts looked up once. */
final class EnsureContext {
    final AwsClients aws;
    final Log log;
    final EnsureOptions options;
    /** For the waits of the phases (a new DynamoDB table becoming ACTIVE). */
    final Clock clock;
    final Sleeper sleeper;
    private List<String> roleNames;

    EnsureContext(AwsClients aws, Log log, EnsureOptions options) {
        this(aws, log, options, Clock.systemUTC(), Sleeper.REAL);
    }

    EnsureContext(AwsClients aws, Log log, EnsureOptions options, Clock clock, Sleeper sleeper) {
        this.aws = aws;
        this.log = log;
        this.options = options;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    String system() {
        return options.system();
    }

    /** The account id (STS GetCallerIdentity, asked once per run). */
    String accountId(String region) {
        return aws.accountId(region);
    }

    /**
     * While planning, the account's roles in bulk, read once for every stack of the run; empty while applying (each
     * read then sees what the phase before it created) or when the bulk read is not allowed.
     */
    Optional<IamAccount> iamAccount() {
        if (!options.plan()) return Optional.empty();
        return aws.untilChange("iam:account", () -> {
            Optional<IamAccount> account = IamAccount.read(aws.iam());
            if (account.isEmpty()) {
                log.warn("IAM refused iam:GetAccountAuthorizationDetails: the plan reads roles one by one (about a dozen calls per "
                        + "stack instead of one for the run); grant it as resources/iam-policy.json does");
            }
            return account;
        });
    }

    /** Every role name in the account, all pages of ListRoles. */
    List<String> roleNames() {
        Optional<IamAccount> account = iamAccount();
        if (account.isPresent()) return account.get().roleNames();
        if (roleNames == null) {
            List<String> names = new ArrayList<>();
            for (Role r : aws.iam().listRolesPaginator().roles()) names.add(r.roleName());
            roleNames = names;
        }
        return roleNames;
    }
}
