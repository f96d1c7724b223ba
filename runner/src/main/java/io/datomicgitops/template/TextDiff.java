package io.datomicgitops.template;

import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A unified diff of two texts (git's histogram algorithm), for the template diff a reviewer reads. */
public final class TextDiff {
    private TextDiff() {}

    public record Result(String unified, int added, int removed) {
        public boolean changed() {
            return added + removed > 0;
        }

        public int lines() {
            return added + removed;
        }
    }

    public static Result diff(String oldName, String oldText, String newName, String newText) {
        RawText a = new RawText(oldText.getBytes(StandardCharsets.UTF_8));
        RawText b = new RawText(newText.getBytes(StandardCharsets.UTF_8));
        EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                .diff(RawTextComparator.DEFAULT, a, b);
        if (edits.isEmpty()) return new Result("", 0, 0);
        int added = 0, removed = 0;
        for (var e : edits) {
            added += e.getLengthB();
            removed += e.getLengthA();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DiffFormatter f = new DiffFormatter(out)) {
            f.setContext(3);
            out.write(("--- " + oldName + "\n+++ " + newName + "\n").getBytes(StandardCharsets.UTF_8));
            f.format(edits, a, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(out.toString(StandardCharsets.UTF_8), added, removed);
    }
}
