package io.datomicgitops.findings;

import io.datomicgitops.config.Validator;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.ValueType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.datomicgitops.findings.FindingCodes.ACKNOWLEDGED_ERROR;
import static io.datomicgitops.findings.FindingCodes.UNKNOWN_ACKNOWLEDGEMENT;

/**
 * deploy.properties' {@code acknowledge=code,code}: the operator has read these warnings and accepts them. Matching
 * warning and info findings are marked acknowledged (still shown, no longer counted); an error is never acknowledged,
 * and naming one, or a code no check emits, is a finding of its own.
 */
public final class Acknowledgements {
    private Acknowledgements() {}

    public static final String KEY = "acknowledge";

    /** The codes deploy.properties acknowledges, in its order (none without the file or the key). */
    public static Set<String> codes(Optional<PropertiesFile> deploy) {
        Set<String> codes = new LinkedHashSet<>();
        deploy.flatMap(d -> d.get(KEY)).ifPresent(v -> codes.addAll(ValueType.splitList(v)));
        return codes;
    }

    /**
     * Applies the stack's acknowledgements to its findings (the checks' and any others a caller adds, e.g. the plan's),
     * returning a new list. Idempotent: applying it again to its own result gives the same list.
     */
    public static List<Finding> apply(List<Finding> findings, Optional<PropertiesFile> deploy) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (f.code().equals(ACKNOWLEDGED_ERROR) || f.code().equals(UNKNOWN_ACKNOWLEDGEMENT)) continue; // made again below
            out.add(f);
        }
        Set<String> codes = codes(deploy);
        if (codes.isEmpty()) return out;
        String where = deploy.get().where(KEY);
        for (int i = 0; i < out.size(); i++) {
            Finding f = out.get(i);
            if (codes.contains(f.code()) && f.severity() != Finding.Severity.ERROR && !f.acknowledged()) out.set(i, f.acknowledge());
        }
        Set<String> present = new LinkedHashSet<>();
        out.forEach(f -> present.add(f.code()));
        for (String code : codes) {
            boolean error = FindingCodes.isError(code)
                    || out.stream().anyMatch(f -> f.code().equals(code) && f.severity() == Finding.Severity.ERROR);
            if (error) {
                out.add(Finding.warning(ACKNOWLEDGED_ERROR, "acknowledge names " + code + ", which is an error: errors cannot "
                        + "be acknowledged, they stop the deployment until fixed (fix it, then remove " + code
                        + " from acknowledge)", where));
            } else if (!FindingCodes.isKnown(code) && !present.contains(code)) {
                String hint = closest(code).map(c -> "did you mean " + c + "? ").orElse("");
                out.add(Finding.warning(UNKNOWN_ACKNOWLEDGEMENT, "acknowledge names " + code + ", which is no finding code: "
                        + hint + "the codes are listed in docs/FINDINGS.md", where));
            }
        }
        return out;
    }

    private static Optional<String> closest(String code) {
        return Validator.closest(code, FindingCodes.all(), 3);
    }
}
