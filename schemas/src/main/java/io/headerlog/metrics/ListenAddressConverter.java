package io.headerlog.metrics;

import picocli.CommandLine;

/**
 * Reads a {@code --metrics-listen} value while picocli parses the command line (flags, environment and
 * config file alike, see {@code ConfigDefaults}), so every app rejects a bad address the same way:
 * before anything starts, with the forms it takes.
 */
public final class ListenAddressConverter implements CommandLine.ITypeConverter<ListenAddress> {

    @Override
    public ListenAddress convert(String value) {
        try {
            return ListenAddress.parse(value, "--metrics-listen");
        } catch (IllegalArgumentException e) {
            // picocli prints a conversion error's message after the option's name, without a stack trace
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
