package io.headerlog.collector.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.TraceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceParentTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    @Test
    void shouldParseTheSpecExample() {
        TraceContext t = TraceParent.parse("00-" + TRACE + "-" + PARENT + "-01");

        assertThat(t.getVersion()).isZero();
        assertThat(t.getTraceId()).isEqualTo(TRACE);
        assertThat(t.getParentId()).isEqualTo(PARENT);
        assertThat(t.getFlags()).isEqualTo(1);
    }

    @Test
    void shouldKeepEveryFlagBit() {
        assertThat(TraceParent.parse("00-" + TRACE + "-" + PARENT + "-ff").getFlags()).isEqualTo(0xff);
        assertThat(TraceParent.parse("00-" + TRACE + "-" + PARENT + "-00").getFlags()).isZero();
    }

    @Test
    void shouldIgnoreSurroundingWhitespace() {
        assertThat(TraceParent.parse(" \t00-" + TRACE + "-" + PARENT + "-01 ")).isNotNull();
    }

    @Test
    void shouldAcceptAFutureVersionWithMoreParts() {
        TraceContext t = TraceParent.parse("cc-" + TRACE + "-" + PARENT + "-01-what-the-future-will-be-like");

        assertThat(t.getVersion()).isEqualTo(0xcc);
        assertThat(t.getTraceId()).isEqualTo(TRACE);
        assertThat(t.getFlags()).isEqualTo(1);
        assertThat(TraceParent.parse("01-" + TRACE + "-" + PARENT + "-01")).isNotNull();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "00-" + TRACE + "-" + PARENT + "-01-extra", // version 00 has exactly four parts
        "ff-" + TRACE + "-" + PARENT + "-01", // version ff is invalid
        "cc-" + TRACE + "-" + PARENT + "-01x", // a future version's extra part must follow a dash
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + PARENT + "-01", // upper-case hex
        "00-00000000000000000000000000000000-" + PARENT + "-01", // all-zero trace id
        "00-" + TRACE + "-0000000000000000-01", // all-zero parent id
        "00-" + TRACE + "-" + PARENT + "-0g",
        "0-" + TRACE + "-" + PARENT + "-01",
        "00_" + TRACE + "-" + PARENT + "-01",
        "00-" + TRACE + "_" + PARENT + "-01",
        "00-" + TRACE + "-" + PARENT + "_01",
        "00-" + TRACE + "-" + PARENT,
        "00-4bf92f3577b34da6a3ce929d0e0e473-" + PARENT + "-01x", // short trace id, length kept
        "xx-" + TRACE + "-" + PARENT + "-01",
    })
    void shouldRejectInvalidValues(String value) {
        assertThat(TraceParent.parse(value)).isNull();
    }
}
