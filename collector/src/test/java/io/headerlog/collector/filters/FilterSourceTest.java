package io.headerlog.collector.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.collector.bpf.FilterRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterSourceTest {
    @TempDir
    Path dir;

    private Path write(String json, long mtimeSeconds) throws Exception {
        Path f = dir.resolve("filters.json");
        Files.writeString(f, json);
        Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(mtimeSeconds)));
        return f;
    }

    @Test
    void shouldAddTheFileToTheFlags() throws Exception {
        Path f = write("""
                { // comments are fine
                  "denyNets": ["198.18.5.0/24"], "allowPorts": [80, 443], "denyProtocols": ["gre", 50]
                }""", 1000);
        FilterRules flags = new FilterRules(List.of("198.18.0.0/15"), List.of(), Set.of(8080), Set.of(), Set.of(), Set.of());

        FilterRules rules = new FilterSource(flags, Optional.of(f)).current();

        assertThat(rules.allowCidrs()).containsExactly("198.18.0.0/15");
        assertThat(rules.denyCidrs()).containsExactly("198.18.5.0/24");
        assertThat(rules.allowPorts()).containsExactlyInAnyOrder(80, 443, 8080);
        assertThat(rules.denyProtocols()).containsExactlyInAnyOrder(47, 50);
    }

    @Test
    void shouldReloadOnlyWhenTheFileChanged() throws Exception {
        Path f = write("{\"denyPorts\": [22]}", 1000);
        FilterSource source = new FilterSource(FilterRules.NONE, Optional.of(f));
        assertThat(source.reloadIfChanged()).isEmpty();

        write("{\"denyPorts\": [22, 23]}", 2000);

        assertThat(source.reloadIfChanged()).hasValueSatisfying(r -> assertThat(r.denyPorts()).containsExactlyInAnyOrder(22, 23));
        assertThat(source.current().denyPorts()).containsExactlyInAnyOrder(22, 23);
        assertThat(source.reloadIfChanged()).isEmpty();
    }

    @Test
    void shouldKeepTheOldRulesWhenAnEditIsBroken() throws Exception {
        Path f = write("{\"denyPorts\": [22]}", 1000);
        FilterSource source = new FilterSource(FilterRules.NONE, Optional.of(f));
        write("{\"denyPorts\": [22", 2000);

        assertThatThrownBy(source::reloadIfChanged).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("filter file " + f);
        assertThat(source.current().denyPorts()).containsExactly(22);
    }

    @Test
    void shouldNameTheFileAndFieldInErrors() throws Exception {
        Path unknown = write("{\"blockPorts\": [22]}", 1000);
        assertThatThrownBy(() -> FilterFile.read(unknown)).hasMessageContaining("unknown field \"blockPorts\"")
                .hasMessageContaining("denyPorts");
        Path badPort = write("{\"denyPorts\": [\"ssh\"]}", 1000);
        assertThatThrownBy(() -> FilterFile.read(badPort)).hasMessageContaining("\"denyPorts\"");
        Path badNet = write("{\"allowNets\": [\"10.0.0.0/33\"]}", 1000);
        assertThatThrownBy(() -> FilterFile.read(badNet)).hasMessageContaining("filter file").hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> FilterFile.read(dir.resolve("missing.json"))).hasMessageContaining("cannot be read");
    }

    @Test
    void shouldParseProtocolNamesAndNumbers() {
        assertThat(FilterRules.protocolNumber("TCP")).isEqualTo(6);
        assertThat(FilterRules.protocolNumber("icmpv6")).isEqualTo(58);
        assertThat(FilterRules.protocolNumber("132")).isEqualTo(132);
        assertThatThrownBy(() -> FilterRules.protocolNumber("256")).hasMessageContaining("0..255");
        assertThatThrownBy(() -> FilterRules.protocolNumber("carrier-pigeon")).hasMessageContaining("carrier-pigeon");
    }
}
