package io.github.rpcdiscovery.balancer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** Answers nextInt with the scripted values, in order; fails the test when it runs out or a value is out of bounds. */
final class ScriptedRandom implements RandomGenerator {

	private final Deque<Integer> values = new ArrayDeque<>();

	ScriptedRandom then(int... next) {
		for (int value : next) {
			this.values.add(value);
		}
		return this;
	}

	int remaining() {
		return this.values.size();
	}

	@Override
	public int nextInt(int bound) {
		Integer value = this.values.poll();
		if (value == null) {
			throw new AssertionError("the picker drew more random numbers than scripted");
		}
		if (value < 0 || value >= bound) {
			throw new AssertionError("scripted " + value + " but the bound is " + bound);
		}
		return value;
	}

	@Override
	public long nextLong() {
		throw new UnsupportedOperationException("only nextInt(bound) is scripted");
	}

}
