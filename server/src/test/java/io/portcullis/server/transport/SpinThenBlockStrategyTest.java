package io.portcullis.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class SpinThenBlockStrategyTest {
    /** A poll that answers from a script, then 0 (nothing ready) forever, and counts how often it was asked. */
    private static final class ScriptedPoll implements IntSupplier {
        final Deque<Integer> answers = new ArrayDeque<>();
        int calls;

        void then(int... ready) {
            for (int r : ready) {
                answers.add(r);
            }
        }

        @Override
        public int get() {
            calls++;
            Integer next = answers.poll();
            return next == null ? 0 : next;
        }
    }

    private static final long SPIN_NANOS = 200_000;
    private final SpinThenBlockStrategy strategy = new SpinThenBlockStrategy(SPIN_NANOS);
    private final ScriptedPoll poll = new ScriptedPoll();

    @Test
    void returnsWorkFoundWhilePolling() throws Exception {
        poll.then(0, 0, 3);
        assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(3);
        assertThat(poll.calls).isEqualTo(3);
    }

    @Test
    void withTasksQueuedPollsOnceAndNeverSleeps() throws Exception {
        assertThat(strategy.calculateStrategy(poll, true)).isZero();
        assertThat(poll.calls).isEqualTo(1);
    }

    @Test
    void sleepsAfterPollingForTheWholeWindowInVain() throws Exception {
        long start = System.nanoTime();
        assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(SPIN_NANOS);
        assertThat(poll.calls).isGreaterThan(1);
    }

    @Test
    void eachEmptyPollDoublesTheIdleMomentsSleptThroughWithoutPolling() throws Exception {
        for (int skip : new int[] {1, 2, 4, 8, 16, 32, 64, 64}) {
            emptyPoll();
            sleepsWithoutPolling(skip);
        }
    }

    @Test
    void workFoundAfterWaitingLowersTheSkipByOne() throws Exception {
        emptyPoll();
        sleepsWithoutPolling(1);
        emptyPoll();
        sleepsWithoutPolling(2);
        emptyPoll();
        sleepsWithoutPolling(4);
        poll.then(0, 5); // nothing at first, then work: the skip of 4 goes down to 3
        assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(5);
        emptyPoll(); // doubles 3 to 6, not 4 to 8
        sleepsWithoutPolling(6);
        poll.then(7);
        assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(7);
    }

    @Test
    void workAlreadyWaitingLeavesTheSkipAsItWas() throws Exception {
        emptyPoll();
        sleepsWithoutPolling(1);
        poll.then(2); // found by the first poll: says nothing about polling, so the skip stays
        assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(2);
        emptyPoll();
        sleepsWithoutPolling(2);
    }

    private void emptyPoll() throws Exception {
        int before = poll.calls;
        assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(poll.calls).as("polled").isGreaterThan(before);
    }

    private void sleepsWithoutPolling(int times) throws Exception {
        int before = poll.calls;
        for (int i = 0; i < times; i++) {
            assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(SelectStrategy.SELECT);
        }
        assertThat(poll.calls).as("polls while skipping %d", times).isEqualTo(before);
    }
}
