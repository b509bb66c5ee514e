package io.headerlog.collector.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangesTest {

    @Test
    void shouldExtendTheContiguousPrefixInOrder() {
        ByteRanges r = new ByteRanges();
        r.add(0, 10);
        r.add(10, 25);
        assertThat(r.count()).isEqualTo(1);
        assertThat(r.contiguous()).isEqualTo(25);
    }

    @Test
    void shouldKeepPiecesApartUntilAGapFillsThenMergeThem() {
        ByteRanges r = new ByteRanges();
        r.add(0, 10);
        r.add(30, 40);
        r.add(15, 20);
        assertThat(r).hasToString("[0..10, 15..20, 30..40]");
        assertThat(r.contiguous()).isEqualTo(10);
        r.add(5, 35);
        assertThat(r).hasToString("[0..40]");
    }

    @Test
    void shouldMergePiecesThatOnlyTouch() {
        ByteRanges r = new ByteRanges();
        r.add(20, 30);
        r.add(0, 10);
        r.add(10, 20);
        assertThat(r).hasToString("[0..30]");
    }

    @Test
    void shouldCountCoveredBytesAndFindTheFirstMissingOne() {
        ByteRanges r = new ByteRanges();
        r.add(0, 10);
        r.add(20, 30);
        assertThat(r.coveredIn(5, 25)).isEqualTo(10);
        assertThat(r.coveredIn(10, 20)).isZero();
        assertThat(r.firstMissingFrom(3)).isEqualTo(10);
        assertThat(r.firstMissingFrom(15)).isEqualTo(15);
        assertThat(r.firstMissingFrom(20)).isEqualTo(30);
    }

    @Test
    void shouldRefuseOneMorePieceThanTheCapButStillMergeOnes() {
        ByteRanges r = new ByteRanges();
        for (int i = 0; i < ByteRanges.MAX_RANGES; i++) {
            r.add(10 * i, 10 * i + 5);
        }
        assertThat(r.count()).isEqualTo(ByteRanges.MAX_RANGES);
        assertThat(r.canAdd(10_000, 10_001)).isFalse();
        assertThat(r.canAdd(5, 10)).isTrue(); // touches two pieces: merges them
        r.add(5, 10);
        assertThat(r.count()).isEqualTo(ByteRanges.MAX_RANGES - 1);
    }

    @Test
    void shouldRenumberWhatFollowsADroppedPrefix() {
        ByteRanges r = new ByteRanges();
        r.add(0, 10);
        r.add(15, 20);
        r.dropPrefix(8);
        assertThat(r).hasToString("[0..2, 7..12]");
        r.dropPrefix(2);
        assertThat(r).hasToString("[5..10]");
        assertThat(r.contiguous()).isZero();
    }
}
