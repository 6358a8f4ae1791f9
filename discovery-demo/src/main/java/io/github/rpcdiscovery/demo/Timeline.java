package io.github.rpcdiscovery.demo;

import java.util.ArrayList;
import java.util.List;

/** Prints what happens, with the time since the demo started, and remembers the checks that failed. */
final class Timeline {

	private final long start = System.nanoTime();

	private final List<String> broken = new ArrayList<>();

	void say(String text) {
		long ms = (System.nanoTime() - this.start) / 1_000_000;
		System.out.printf("[demo %3d.%01ds] %s%n", ms / 1000, ms % 1000 / 100, text);
	}

	/** Records a check of the story; a failed one makes the demo exit non-zero. */
	void check(boolean held, String claim) {
		say((held ? "ok   " : "FAIL ") + claim);
		if (!held) {
			this.broken.add(claim);
		}
	}

	boolean storyHeld() {
		return this.broken.isEmpty();
	}

	List<String> broken() {
		return this.broken;
	}

}
