package io.headerlog.serde;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to load classes by schema name unless they are trusted, and a specific reader
 * loads every nested generated class (Ip, Tcp, …) that way. Reading into a generated class is an
 * explicit choice of the caller, so its package — the schema's namespace — is added to Avro's
 * global trust list, on top of whatever was trusted before (system properties included).
 */
public final class GeneratedClassTrust {

    private static final Set<String> TRUSTED_PACKAGES = ConcurrentHashMap.newKeySet();

    private GeneratedClassTrust() {
    }

    /** Trusts the package of {@code generated} (once; later calls are free). */
    public static void trustPackageOf(Class<?> generated) {
        String pkg = generated.getPackageName();
        if (!TRUSTED_PACKAGES.add(pkg)) {
            return;
        }
        synchronized (GeneratedClassTrust.class) {
            ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                    candidate -> candidate.getPackageName().equals(pkg)));
        }
    }
}
