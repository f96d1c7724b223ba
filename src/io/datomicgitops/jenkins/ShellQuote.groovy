package io.datomicgitops.jenkins

import com.cloudbees.groovy.cps.NonCPS

/**
 * Turns an argument list into a POSIX sh command line in which every argument arrives literally: each one is put
 * in single quotes (inside which sh expands nothing), and an embedded single quote becomes '"'"' (close, a quoted
 * quote, reopen). An {@link EnvRef} becomes "$NAME", so a secret is expanded by the shell, never by Groovy.
 */
class ShellQuote implements Serializable {
    private static final long serialVersionUID = 1L

    /** One argument, quoted for sh. */
    @NonCPS
    static String quote(Object arg) {
        if (arg == null) {
            throw new IllegalArgumentException('a command argument is null')
        }
        if (arg instanceof EnvRef) {
            return '"$' + ((EnvRef) arg).name + '"'
        }
        String s = arg.toString()
        if (s.indexOf((int) 0) >= 0) {
            throw new IllegalArgumentException('a command argument contains a NUL character, which sh cannot pass')
        }
        return "'" + s.replace("'", "'\"'\"'") + "'"
    }

    /** The whole command line: the quoted arguments joined by spaces. */
    @NonCPS
    static String command(List args) {
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException('an empty command')
        }
        StringBuilder line = new StringBuilder()
        for (Object a : args) {
            if (line.length() > 0) {
                line.append(' ')
            }
            line.append(quote(a))
        }
        return line.toString()
    }

    /**
     * A script that runs the command with its standard error shown as it comes (through tee) and saved to ERRFILE,
     * and exits with the command's status (so the caller can read back the runner's one-line error). The status
     * travels through ERRFILE.status: a pipeline's own status is tee's, and POSIX sh has no pipefail.
     */
    @NonCPS
    static String script(List args, String errFile) {
        String err = quote(errFile)
        String statusFile = quote(errFile + '.status')
        return 'status=0\n' +
                'rm -f ' + statusFile + '\n' +
                '{ { ' + command(args) + ' 2>&1 1>&3 3>&- || echo $? > ' + statusFile + '; } | tee ' + err + ' >&2; } 3>&1\n' +
                'if [ -f ' + statusFile + ' ]; then status=$(cat ' + statusFile + '); fi\n' +
                'exit $status\n'
    }
}
