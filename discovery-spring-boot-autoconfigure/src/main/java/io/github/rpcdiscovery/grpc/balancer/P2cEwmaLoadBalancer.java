package io.github.rpcdiscovery.grpc.balancer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.rpcdiscovery.balancer.Balancer;
import io.github.rpcdiscovery.balancer.InstanceWeight;
import io.github.rpcdiscovery.balancer.NodeTable;
import io.github.rpcdiscovery.grpc.resolver.AddressGroups;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Status;

/**
 * go-zero's {@code p2c_ewma} as a grpc-java load balancer: one subchannel per address group, and among the ready ones
 * the balancer package's power-of-two-choices picker over each node's decaying latency and success (the same
 * {@code Picker} and {@code NodeStats} the HTTP load balancer uses).
 * <ul>
 * <li>Statistics are kept by node identity (the registered {@code host:port}) in a {@link NodeTable} that outlives
 * address updates: a node that stays, or leaves and comes back, keeps what was learnt about it.</li>
 * <li>A subchannel that goes idle (go-zero servers close connections idle for 5 minutes) reconnects when a call
 * comes: the next pick asks for the connection, as grpc-java's {@code pick_first} does, so a client that makes no call
 * holds no connection.</li>
 * <li>TRANSIENT_FAILURE is sticky, as in grpc-java's own policies: a subchannel that failed counts as failed while it
 * retries, until it is READY, so while nothing connects calls fail fast with the last failure instead of queueing
 * each time a retry starts.</li>
 * <li>A name resolution error keeps a working set of subchannels (gRPC's rule); an empty address list removes them
 * all.</li>
 * </ul>
 * Runs in the channel's synchronization context, like every grpc-java load balancer.
 */
final class P2cEwmaLoadBalancer extends LoadBalancer {

	private final Helper helper;

	private final NodeTable table;

	private final Balancer<ReadyNode> balancer;

	private final Map<String, Child> children = new LinkedHashMap<>();

	private ConnectivityState state = ConnectivityState.IDLE;

	private Status lastFailure = Status.UNAVAILABLE.withDescription("no subchannel has connected yet");

	P2cEwmaLoadBalancer(Helper helper, Balancer<ReadyNode> balancer) {
		this.helper = helper;
		this.balancer = balancer;
		this.table = balancer.table();
	}

	@Override
	public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
		List<EquivalentAddressGroup> groups = resolved.getAddresses();
		if (groups.isEmpty()) {
			Status empty = Status.UNAVAILABLE
				.withDescription("the name resolver found no instance of " + this.helper.getAuthority());
			removeAll();
			publish(ConnectivityState.TRANSIENT_FAILURE, new Pickers.Failing(empty));
			return empty;
		}
		Map<String, EquivalentAddressGroup> next = new LinkedHashMap<>();
		for (EquivalentAddressGroup group : groups) {
			next.putIfAbsent(nodeId(group), group);
		}
		this.children.entrySet().removeIf((entry) -> {
			boolean gone = !next.containsKey(entry.getKey());
			if (gone) {
				entry.getValue().subchannel.shutdown();
			}
			return gone;
		});
		for (Map.Entry<String, EquivalentAddressGroup> entry : next.entrySet()) {
			Child child = this.children.get(entry.getKey());
			if (child == null) {
				this.children.put(entry.getKey(), newChild(entry.getKey(), entry.getValue()));
			}
			else if (!child.subchannel.getAddresses().equals(entry.getValue())) {
				child.subchannel.updateAddresses(List.of(entry.getValue()));
				child.node = new ReadyNode(child.subchannel, child.node.tracer(), weight(entry.getValue()),
						metadata(entry.getValue()));
			}
		}
		this.balancer.forgetDeparted();
		updateState();
		return Status.OK;
	}

	@Override
	public void handleNameResolutionError(Status error) {
		if (this.state != ConnectivityState.READY) {
			publish(ConnectivityState.TRANSIENT_FAILURE, new Pickers.Failing(error));
		}
	}

	@Override
	public void requestConnection() {
		for (Child child : this.children.values()) {
			if (child.state == ConnectivityState.IDLE) {
				child.subchannel.requestConnection();
			}
		}
	}

	@Override
	public void shutdown() {
		removeAll();
	}

	private Child newChild(String id, EquivalentAddressGroup group) {
		Subchannel subchannel = this.helper
			.createSubchannel(CreateSubchannelArgs.newBuilder().setAddresses(group).build());
		Child child = new Child(subchannel, new ReadyNode(subchannel, new CallOutcomeTracer(id, this.table),
				weight(group), metadata(group)));
		subchannel.start((info) -> onStateChange(child, info));
		subchannel.requestConnection();
		// asked to connect: counts as connecting until it says otherwise
		child.state = ConnectivityState.CONNECTING;
		return child;
	}

	private void onStateChange(Child child, ConnectivityStateInfo info) {
		if (this.children.get(child.node.nodeId()) != child) {
			return;
		}
		ConnectivityState next = info.getState();
		if (next == ConnectivityState.TRANSIENT_FAILURE || next == ConnectivityState.IDLE) {
			this.helper.refreshNameResolution();
		}
		if (next == ConnectivityState.TRANSIENT_FAILURE) {
			this.lastFailure = info.getStatus();
		}
		if (child.state == ConnectivityState.TRANSIENT_FAILURE
				&& (next == ConnectivityState.CONNECTING || next == ConnectivityState.IDLE)) {
			// sticky: still failed while it retries; idle after a failure, it keeps retrying (as pick_first does)
			if (next == ConnectivityState.IDLE) {
				child.subchannel.requestConnection();
			}
			return;
		}
		child.state = next;
		updateState();
	}

	private void updateState() {
		List<ReadyNode> ready = new ArrayList<>();
		boolean connecting = false;
		boolean idle = false;
		for (Child child : this.children.values()) {
			if (child.state == ConnectivityState.READY) {
				ready.add(child.node);
			}
			else if (child.state == ConnectivityState.CONNECTING) {
				connecting = true;
			}
			else if (child.state == ConnectivityState.IDLE) {
				idle = true;
			}
		}
		if (!ready.isEmpty()) {
			SubchannelPicker p2c = new Pickers.P2c(List.copyOf(ready), this.balancer);
			publish(ConnectivityState.READY, idle ? connectingIdleOnFirstPick(p2c) : p2c);
		}
		else if (connecting) {
			publish(ConnectivityState.CONNECTING, Pickers.Waiting.INSTANCE);
		}
		else if (idle) {
			publish(ConnectivityState.IDLE, connectingIdleOnFirstPick(Pickers.Waiting.INSTANCE));
		}
		else {
			publish(ConnectivityState.TRANSIENT_FAILURE, new Pickers.Failing(this.lastFailure));
		}
	}

	/** The idle subchannels connect when a call comes, in the synchronization context, like everything here. */
	private SubchannelPicker connectingIdleOnFirstPick(SubchannelPicker picker) {
		return new Pickers.ConnectOnFirstPick(picker,
				() -> this.helper.getSynchronizationContext().execute(this::requestConnection));
	}

	private void publish(ConnectivityState newState, SubchannelPicker picker) {
		this.state = newState;
		this.helper.updateBalancingState(newState, picker);
	}

	private void removeAll() {
		for (Child child : this.children.values()) {
			child.subchannel.shutdown();
		}
		this.children.clear();
	}

	/** The weight the resolver tagged the group with, else the default. */
	static int weight(EquivalentAddressGroup group) {
		Integer weight = group.getAttributes().get(AddressGroups.WEIGHT);
		return (weight != null) ? weight : InstanceWeight.DEFAULT;
	}

	/** The instance metadata the resolver tagged the group with, else none. */
	static Map<String, String> metadata(EquivalentAddressGroup group) {
		Map<String, String> metadata = group.getAttributes().get(AddressGroups.METADATA);
		return (metadata != null) ? metadata : Map.of();
	}

	/** The registered {@code host:port} the resolver tagged the group with, else its addresses as text. */
	static String nodeId(EquivalentAddressGroup group) {
		String id = group.getAttributes().get(AddressGroups.NODE_ID);
		return (id != null) ? id : group.getAddresses().toString();
	}

	private static final class Child {

		final Subchannel subchannel;

		/** Replaced when the group's addresses (and with them its weight) change. */
		ReadyNode node;

		ConnectivityState state = ConnectivityState.IDLE;

		Child(Subchannel subchannel, ReadyNode node) {
			this.subchannel = subchannel;
			this.node = node;
		}

	}

}
