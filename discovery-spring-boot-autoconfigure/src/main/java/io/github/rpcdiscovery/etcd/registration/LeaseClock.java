package io.github.rpcdiscovery.etcd.registration;

/**
 * The clocks a registration reads. Whether a lease can still be alive is judged on the monotonic one only: a step of
 * the wall clock (NTP, a VM resumed, an operator) says nothing about the time that passed. The wall clock only dates
 * what the actuator shows.
 */
interface LeaseClock {

	LeaseClock SYSTEM = new LeaseClock() {

		@Override
		public long nanoTime() {
			return System.nanoTime();
		}

		@Override
		public long wallMillis() {
			return System.currentTimeMillis();
		}

	};

	/** Monotonic time, as {@link System#nanoTime()}. */
	long nanoTime();

	/** Wall-clock time, as {@link System#currentTimeMillis()}. */
	long wallMillis();

}
