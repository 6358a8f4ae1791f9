package io.github.rpcdiscovery.balancer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Routing in front of the picker: hints select a subset with a fallback, a canary takes its share, the caller's zone
 * keeps the calls while it is healthy and spills them as it degrades. Calls are simulated on a fake clock, one every
 * 5 ms (200 per second), each answered after its node's latency.
 */
class RoutingTest {

	private static final long MS = 1_000_000;

	private final FakeClock clock = new FakeClock();

	private final Map<String, Long> latencyMillis = new HashMap<>();

	private final Map<String, Outcome> outcomes = new HashMap<>();

	private record Instance(String id, Map<String, String> metadata) {

		static Instance of(String id, String zone, String version) {
			return new Instance(id, Map.of("zone", zone, "version", version));
		}

	}

	private static final List<Instance> SIX = List.of(Instance.of("127.0.0.1:1", "a", "v1"),
			Instance.of("127.0.0.2:1", "a", "v1"), Instance.of("127.0.0.3:1", "a", "v2"),
			Instance.of("127.0.0.4:1", "b", "v1"), Instance.of("127.0.0.5:1", "b", "v1"),
			Instance.of("127.0.0.6:1", "b", "v1"));

	private Balancer<Instance> balancer(ZoneSettings zone, SubsetSettings subset) {
		NodeTable table = new NodeTable(BalancerSettings.defaults(), this.clock, EjectionListener.NONE);
		SplittableRandom random = new SplittableRandom(11);
		return new Balancer<>(table, BalancingPolicy.P2C.newPicker(this.clock, random), Instance::id,
				(instance) -> InstanceWeight.of(instance.metadata()), Instance::metadata,
				new RoutingSettings(zone, subset), random);
	}

	private Map<String, Integer> call(Balancer<Instance> balancer, int calls, String hint) {
		Map<String, Integer> picks = new HashMap<>();
		for (int i = 0; i < calls; i++) {
			long now = this.clock.advanceMillis(5);
			Instance picked = balancer.pick(SIX, hint);
			String key = (picked != null) ? picked.id() : "none";
			picks.merge(key, 1, Integer::sum);
			if (picked != null) {
				NodeStats node = balancer.statsOf(picked);
				node.callStarted();
				long latency = this.latencyMillis.getOrDefault(picked.id(), 20L);
				node.callCompleted(now - latency * MS, now, this.outcomes.getOrDefault(picked.id(), Outcome.SUCCESS));
			}
		}
		return picks;
	}

	private static int zoneB(Map<String, Integer> picks) {
		return picks.getOrDefault("127.0.0.4:1", 0) + picks.getOrDefault("127.0.0.5:1", 0)
				+ picks.getOrDefault("127.0.0.6:1", 0);
	}

	@Test
	void aHintSelectsTheInstancesWithThatVersion() {
		Balancer<Instance> balancer = balancer(ZoneSettings.defaults(null), SubsetSettings.defaults());
		assertThat(call(balancer, 300, "v2")).containsOnlyKeys("127.0.0.3:1");
	}

	@Test
	void aHintThatMatchesNothingFallsBackToAllOrFailsAsConfigured() {
		Balancer<Instance> toAll = balancer(ZoneSettings.defaults(null), SubsetSettings.defaults());
		assertThat(call(toAll, 600, "v9")).hasSize(6);
		Balancer<Instance> failing = balancer(ZoneSettings.defaults(null),
				new SubsetSettings("version", SubsetSettings.Fallback.FAIL, null));
		assertThat(call(failing, 10, "v9")).containsOnlyKeys("none");
	}

	@Test
	void aHintWhoseInstancesAreAllEjectedFallsBack() {
		Balancer<Instance> balancer = balancer(ZoneSettings.defaults(null), SubsetSettings.defaults());
		this.outcomes.put("127.0.0.3:1", Outcome.CONNECT_FAILURE);
		assertThat(call(balancer, 1, "v2")).containsOnlyKeys("127.0.0.3:1");
		assertThat(call(balancer, 100, "v2")).doesNotContainKey("127.0.0.3:1").doesNotContainKey("none");
		Balancer<Instance> failing = balancer(ZoneSettings.defaults(null),
				new SubsetSettings("version", SubsetSettings.Fallback.FAIL, null));
		assertThat(call(failing, 1, "v2")).containsOnlyKeys("127.0.0.3:1");
		assertThat(call(failing, 10, "v2")).containsOnlyKeys("none");
	}

	@Test
	void aCanaryGetsItsPercentageOfTheCallsWithoutAHint() {
		Balancer<Instance> balancer = balancer(ZoneSettings.defaults(null),
				new SubsetSettings("version", SubsetSettings.Fallback.ALL, new SubsetSettings.Canary("v2", 5)));
		Map<String, Integer> picks = call(balancer, 20_000, null);
		assertThat(picks.get("127.0.0.3:1") / 20_000.0).isCloseTo(0.05, within(0.01));
		assertThat(picks).hasSize(6);
	}

	@Test
	void callsStayInTheCallersZoneWhileItIsHealthy() {
		Balancer<Instance> balancer = balancer(ZoneSettings.defaults("a"), SubsetSettings.defaults());
		Map<String, Integer> picks = call(balancer, 12_000, null);
		// the other zone gets its probes only: one per instance every 5 s
		assertThat(zoneB(picks)).isBetween(1, 120);
		assertThat(balancer.spill()).isZero();
		assertThat(balancer.zonePicks().picks("b")).isEqualTo(zoneB(picks));
		assertThat(balancer.zonePicks().picks("a")).isEqualTo(12_000 - zoneB(picks));
	}

	@Test
	void oneSlowLocalInstanceOfThreeKeepsTheCallsInTheZone() {
		Balancer<Instance> balancer = balancer(ZoneSettings.defaults("a"), SubsetSettings.defaults());
		call(balancer, 2_000, null);
		this.latencyMillis.put("127.0.0.1:1", 500L);
		Map<String, Integer> picks = call(balancer, 6_000, null);
		assertThat(zoneB(picks)).isLessThan(60);
		assertThat(picks.getOrDefault("127.0.0.1:1", 0)).isLessThan(100);
	}

	@Test
	void aSlowZoneSpillsItsCallsAndGetsThemBackWhenItRecovers() {
		Balancer<Instance> balancer = balancer(ZoneSettings.defaults("a"), SubsetSettings.defaults());
		call(balancer, 2_000, null);
		this.latencyMillis.put("127.0.0.1:1", 500L);
		this.latencyMillis.put("127.0.0.2:1", 500L);
		Map<String, Integer> twoSlow = call(balancer, 2_000, null);
		assertThat(balancer.spill()).isCloseTo(0.5, within(0.01));
		assertThat(zoneB(twoSlow)).isGreaterThan(600);
		this.latencyMillis.put("127.0.0.3:1", 500L);
		call(balancer, 1_000, null);
		assertThat(balancer.spill()).isEqualTo(1.0);
		Map<String, Integer> allSlow = call(balancer, 6_000, null);
		assertThat(6_000 - zoneB(allSlow)).as("local probes only").isLessThan(60);
		this.latencyMillis.clear();
		call(balancer, 12_000, null);
		Map<String, Integer> recovered = call(balancer, 6_000, null);
		assertThat(balancer.spill()).isZero();
		assertThat(zoneB(recovered)).isLessThan(60);
	}

	@Test
	void aFailingZoneSpillsItsCalls() {
		Balancer<Instance> balancer = balancer(ZoneSettings.defaults("a"), SubsetSettings.defaults());
		call(balancer, 2_000, null);
		for (String id : List.of("127.0.0.1:1", "127.0.0.2:1", "127.0.0.3:1")) {
			this.outcomes.put(id, Outcome.FAILURE);
		}
		call(balancer, 200, null);
		Map<String, Integer> failing = call(balancer, 2_000, null);
		assertThat(balancer.spill()).isEqualTo(1.0);
		assertThat(2_000 - zoneB(failing)).isLessThan(40);
	}

	@Test
	void weightsShareTheCallsOfARoute() {
		List<Instance> weighted = List.of(new Instance("127.0.0.1:1", Map.of("zone", "a", "weight", "1")),
				new Instance("127.0.0.2:1", Map.of("zone", "a", "weight", "2")),
				new Instance("127.0.0.3:1", Map.of("zone", "a", "weight", "4")),
				new Instance("127.0.0.4:1", Map.of("zone", "b", "weight", "4")));
		Balancer<Instance> balancer = balancer(ZoneSettings.defaults("a"), SubsetSettings.defaults());
		Map<String, Integer> picks = new HashMap<>();
		for (int i = 0; i < 7_000; i++) {
			long now = this.clock.advanceMillis(5);
			Instance picked = balancer.pick(weighted);
			picks.merge(picked.id(), 1, Integer::sum);
			NodeStats node = balancer.statsOf(picked);
			node.callStarted();
			node.callCompleted(now - 20 * MS, now, Outcome.SUCCESS);
		}
		int local = 7_000 - picks.getOrDefault("127.0.0.4:1", 0);
		assertThat(picks.get("127.0.0.1:1") / (double) local).isCloseTo(1 / 7.0, within(0.01));
		assertThat(picks.get("127.0.0.2:1") / (double) local).isCloseTo(2 / 7.0, within(0.01));
		assertThat(picks.get("127.0.0.3:1") / (double) local).isCloseTo(4 / 7.0, within(0.01));
	}

	@Test
	void kubernetesHintsForZonesDecideWhatIsLocalWhenEveryInstanceHasThem() {
		List<Instance> hinted = List.of(
				new Instance("127.0.0.1:1", Map.of("zone", "a", NodeTraits.FOR_ZONES, "a")),
				new Instance("127.0.0.2:1", Map.of("zone", "b", NodeTraits.FOR_ZONES, "a,c")),
				new Instance("127.0.0.3:1", Map.of("zone", "b", NodeTraits.FOR_ZONES, "b")));
		Balancer<Instance> balancer = balancer(ZoneSettings.defaults("a"), SubsetSettings.defaults());
		Map<String, Integer> picks = new HashMap<>();
		for (int i = 0; i < 1000; i++) {
			this.clock.advance(Duration.ofMillis(1));
			picks.merge(balancer.pick(hinted).id(), 1, Integer::sum);
		}
		assertThat(picks.getOrDefault("127.0.0.3:1", 0)).isLessThan(5);
		assertThat(picks.get("127.0.0.2:1")).isGreaterThan(300);
	}

}
