package io.datomicgitops.release;

import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.instances.Strategy;

/**
 * A release every transactor moves to together: the deployment replaces the transactors with the terminate strategy
 * (the old instance is terminated before its replacement starts), whatever deploy.properties or the command line
 * chose, so an old and a new transactor never run side by side.
 */
public final class StopAll {
    private StopAll() {}

    /** The same inputs, their replacement forced to terminate. */
    public static StackInputs terminating(StackInputs in) {
        StackSettings s = in.settings();
        StackSettings.Overrides o = s.overrides().withReplacement(Strategy.TERMINATE, s.overrides().replaceTimeout(),
                s.overrides().healthTimeout());
        return new StackInputs(in.folder(), new StackSettings(s.deploy(), o, s.cfRegion(), s.aws(), s.env()), in.deploy(), in.tx(),
                in.cf(), in.committedTemplate(), in.recordJson());
    }
}
