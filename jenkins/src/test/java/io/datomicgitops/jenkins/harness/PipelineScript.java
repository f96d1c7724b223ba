package io.datomicgitops.jenkins.harness;

import com.cloudbees.groovy.cps.SerializableScript;
import groovy.lang.MissingPropertyException;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * Base class of the Jenkinsfile and of every {@code vars/} script, as Jenkins' CpsScript is: a call that is not
 * a method of the script resolves to a global variable ({@code vars/NAME.groovy}, its {@code call} method), else to
 * a pipeline step served by the harness. Properties resolve to {@code env}, {@code currentBuild}, {@code params},
 * the global variables, and the plugins' globals the library uses ({@code scm}, pipeline-github's {@code pullRequest}).
 */
public abstract class PipelineScript extends SerializableScript {
    private static final long serialVersionUID = 1L;

    @Override
    public Object invokeMethod(String name, Object args) {
        Object[] argv = InvokerHelper.asArray(args);
        if (getMetaClass().getMetaMethod(name, argv) != null) {
            return super.invokeMethod(name, args);
        }
        Build build = Globals.current();
        Object var = build.jenkins().library().globalVariable(name);
        if (var != null) {
            return InvokerHelper.getMetaClass(var).invokeMethod(var, "call", argv);
        }
        return build.jenkins().dispatchStep(build, name, argv);
    }

    @Override
    public Object getProperty(String property) {
        switch (property) {
            case "env": return new EnvGlobal();
            case "currentBuild": return new CurrentBuild();
            case "params": return Globals.current().params();
            case "scm": {
                // SCMVar: only a job from SCM (multibranch, "Pipeline script from SCM") has it
                GitScm scm = Globals.current().job().scm();
                if (scm != null) return scm;
                throw new MissingPropertyException("scm", getClass());
            }
            case "pullRequest": {
                // pipeline-github's global: only with the plugin installed, and only a pull request job has one
                Build b = Globals.current();
                if (!b.jenkins().hasPlugin("pipeline-github")) throw new MissingPropertyException("pullRequest", getClass());
                if (b.environment().get("CHANGE_ID") == null) {
                    throw new IllegalStateException("pullRequest: " + b.job().name() + " is not a pull request job");
                }
                return new PullRequestGlobal();
            }
            default:
        }
        try {
            return super.getProperty(property);
        } catch (MissingPropertyException e) {
            Object var = Globals.current().jenkins().library().globalVariable(property);
            if (var != null) return var;
            throw e;
        }
    }
}
