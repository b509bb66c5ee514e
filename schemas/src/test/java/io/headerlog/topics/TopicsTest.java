package io.headerlog.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldGiveHeaderTopicsSixPartitionsAndOthersOne() {
        assertThat(Topics.defaultPartitions(Topics.HEADERS_RAW)).isEqualTo(6);
        assertThat(Topics.defaultPartitions(Topics.HEADERS_ENRICHED)).isEqualTo(6);
        assertThat(Topics.defaultPartitions(Topics.COLLECTOR_STATS)).isEqualTo(1);
        assertThat(Topics.defaultPartitions(Topics.FLOWS_RAW)).isEqualTo(6);
        assertThat(Topics.defaultPartitions(Topics.FLOWS_SUMMARY)).isEqualTo(6);
        assertThat(Topics.defaultPartitions(Topics.CLOCK_OFFSETS)).isEqualTo(1);
        assertThat(Topics.defaultPartitions(Topics.PACKETS_CORRELATED)).isEqualTo(6);
        assertThat(Topics.defaultPartitions(Topics.HTTP_TRANSACTIONS)).isEqualTo(6);
        assertThat(Topics.defaultPartitions(Topics.STREAMS_STATS)).isEqualTo(1);
        assertThat(Topics.defaultPartitions(Topics.deadLetters(Topics.HEADERS_RAW))).isEqualTo(1);
    }

    @Test
    void shouldNameTheDeadLetterTopicAfterItsSource() {
        assertThat(Topics.deadLetters("headers.raw")).isEqualTo("headers.raw.dlq");
    }
}
