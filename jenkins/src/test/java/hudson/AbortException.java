package hudson;

import java.io.IOException;

/** Same name and role as Jenkins' class: a build failure with a message and no stack trace (the {@code error} step). */
public class AbortException extends IOException {
    private static final long serialVersionUID = 1L;

    public AbortException(String message) {
        super(message);
    }
}
