package io.headerlog.registry;

/** The start-up check the commands that read or write Avro run before they touch Kafka. */
public final class RegistryCheck {

    private RegistryCheck() {}

    /**
     * Null when the registry at {@code url} answers; else one line for the command's user that says
     * what failed and what to do, so a wrong address ends the start with that line, not a stack trace.
     */
    public static String problem(SchemaRegistryClient registry, String url) {
        try {
            registry.subjects();
            return null;
        } catch (SchemaRegistryException e) {
            // The client's message usually says what to do already; add the hint only if not.
            String message = e.getMessage();
            return message.contains("--registry-url") ? message : "schema registry at " + url
                    + " is not usable (" + message + "); start the local stack (./headerlog stack start) or pass --registry-url";
        }
    }
}
